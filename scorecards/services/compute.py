"""Computing every partner's scorecard for a period, set-based and idempotent."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from partners.choices import Stage
from partners.conversion import conversions, unconverted
from partners.models import Partner, Sale
from partners.programme import programme_for
from prm.periods import Period, parse_period
from prm.webhooks.events import emit

from .. import scoring
from ..defaults import ensure_default_kpis
from ..models import Kpi, Scorecard, ScorecardLine, Target
from ..sources import actuals

#: Partners who are measured: signed and certified ones.
SCORED_STAGES = [Stage.SIGNED, Stage.CERTIFIED]
#: Rows per INSERT (about 13 parameters a line stays under PostgreSQL's 65 535).
BATCH = 4000
#: The largest attainment a line stores (999 999 %); points are capped at the weight anyway.
MAX_ATTAINMENT = Decimal("9999.9999")
FOUR = Decimal("0.0001")


def scored_partners(tenant):
    return Partner.objects.for_tenant(tenant).filter(stage__in=SCORED_STAGES)


@transaction.atomic
def scorecards_compute(*, tenant, period: str | Period, progress=None) -> dict:
    """Replace the period's scorecards with freshly computed ones.

    Queries: the KPIs, the partners, one aggregate per KPI source, the
    targets, the previous period's scores, two deletes and the inserts (one
    per 4 000 scorecards or lines): the count does not grow with partners
    until a period has more than 4 000 KPI lines.
    """
    period = parse_period(period) if isinstance(period, str) else period
    ensure_default_kpis(tenant)
    kpis = list(Kpi.objects.for_tenant(tenant).filter(active=True))
    cap = Decimal(programme_for(tenant).attainment_cap) / 100
    partners = list(scored_partners(tenant).only("id", "region", "computed_tier", "tier_override"))
    measured = {kpi.pk: actuals(tenant, period, kpi) for kpi in kpis}
    if progress:
        progress(0.4)
    targets = {  # plain rows: a period has a target per partner and KPI (no model instance each)
        (partner_id, kpi_id): value
        for partner_id, kpi_id, value in Target.objects.for_tenant(tenant)
        .filter(period=period.code)
        .values_list("partner_id", "kpi_id", "value")
    }
    previous = dict(
        Scorecard.objects.for_tenant(tenant)
        .filter(period=period.previous().code)
        .values_list("partner_id", "score")
    )
    converted = conversions(
        Sale.objects.for_tenant(tenant).filter(date__gte=period.start, date__lte=period.end), tenant
    )
    now = timezone.now()
    cards, lines_by_partner = [], {}
    for partner in partners:
        lines = [_line(tenant, kpi, measured[kpi.pk], targets, partner.pk, cap) for kpi in kpis]
        # the score is computed from unrounded points and rounded once, when stored
        score = scoring.weighted_score([(line.weight, line.raw_points) for line in lines])
        dimensions = defaultdict(list)
        for line in lines:
            dimensions[line.dimension].append((line.weight, line.raw_points))
        cards.append(
            Scorecard(
                tenant=tenant,
                partner=partner,
                period=period.code,
                score=scoring.round_score(score) or Decimal(0),
                tier=partner.tier,
                region=partner.region,
                rank=0,
                cohort_size=0,
                previous_score=previous.get(partner.pk),
                conversions=converted.get(partner.pk, []),
                computed_at=now,
                dimensions={
                    d: _float(scoring.round_score(scoring.weighted_score(v))) for d, v in dimensions.items()
                },
            )  # fmt: skip
        )
        lines_by_partner[partner.pk] = lines
    _rank(cards)
    _delete_period(tenant, period)
    Scorecard.objects.for_tenant(tenant).bulk_create(cards, batch_size=BATCH)
    all_lines = []
    for card in cards:
        for line in lines_by_partner[card.partner_id]:
            line.scorecard = card
            all_lines.append(line)
    ScorecardLine.objects.for_tenant(tenant).bulk_create(all_lines, batch_size=BATCH)
    emit(tenant=tenant, name="scorecard.published",
         data={"period": period.code, "scorecards": len(cards), "computed_at": now})  # fmt: skip
    result = {"period": period.code, "scorecards": len(cards)}
    # sales of the period no rate converts count nothing: the job says which, so finance adds the rates
    missing = unconverted(
        Sale.objects.for_tenant(tenant).filter(date__gte=period.start, date__lte=period.end), tenant
    )
    return {**result, "unconverted": missing} if missing else result


def _delete_period(tenant, period: Period) -> None:
    """Two DELETE statements, whatever the number of scorecards (Django's collector would
    load every row and delete a hundred at a time).

    The lines go by their cards' ids (``scorecard_id IN (the period's cards)``, one index probe
    per card on ``scorecard_line_card``), not by a join back to the lines themselves."""
    old = Scorecard.objects.for_tenant(tenant).filter(period=period.code)
    ScorecardLine.objects.for_tenant(tenant).filter(scorecard__in=old.values("pk")).delete()
    old._raw_delete(old.db)  # lines are gone already; nothing else points at a scorecard


def _line(tenant, kpi, measured: dict | None, targets, partner_id, cap=scoring.ONE) -> ScorecardLine:
    """One KPI of one partner. What counts, and what is left out of the score:

    - the source measured the period and the partner is not in its answer: the
      partner did nothing, so against a target that is 0% (never left out);
    - the source answered None for the partner: the figure is undefined (growth
      without a previous quarter's revenue), left out;
    - no source measures the KPI here (none registered), or no target: left out.
    """
    target = targets.get((partner_id, kpi.pk), kpi.default_target)
    if measured is None:
        actual = None
    elif partner_id in measured:
        actual = measured[partner_id]
    else:
        actual = 0 if target is not None else None
    attained = scoring.attainment(actual, target, kpi.direction)
    points = scoring.points(kpi.weight, attained, cap)
    line = ScorecardLine(
        tenant=tenant, kpi=kpi, code=kpi.code, name=kpi.name, dimension=kpi.dimension, side=kpi.side, direction=kpi.direction,
        target=target, actual=None if actual is None else Decimal(actual).quantize(scoring.CENTS, rounding=ROUND_HALF_UP),
        attainment=None if attained is None else min(attained, MAX_ATTAINMENT).quantize(FOUR, rounding=ROUND_HALF_UP),
        weight=kpi.weight, points=None if points is None else points.quantize(scoring.CENTS, rounding=ROUND_HALF_UP),
        position=kpi.position,
    )  # fmt: skip
    line.raw_points = points
    return line


def _rank(cards: list[Scorecard]) -> None:
    """Rank within the cohort of the same tier and region; ties share a rank."""
    cohorts = defaultdict(list)
    for index, card in enumerate(cards):
        cohorts[(card.tier, card.region)].append((index, card.score))
    for members in cohorts.values():
        ranks = scoring.competition_ranks(members)
        for index, _score in members:
            cards[index].rank = ranks[index]
            cards[index].cohort_size = len(members)


def _float(value):
    return None if value is None else float(value)

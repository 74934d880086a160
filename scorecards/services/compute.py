"""Computing every partner's scorecard for a period, set-based and idempotent."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from partners.choices import Stage
from partners.conversion import conversions_and_unconverted
from partners.models import Partner, Sale
from partners.programme import programme_for
from prm.periods import Period, parse_period
from prm.sql import aggregate_memory, insert_rows, update_rows
from prm.webhooks.events import emit

from .. import scoring
from ..defaults import ensure_default_kpis
from ..models import Kpi, Scorecard, ScorecardLine, Target
from ..sources import actuals

#: Partners who are measured: signed and certified ones.
SCORED_STAGES = [Stage.SIGNED, Stage.CERTIFIED]
#: Partners whose cards and lines are made and written at a time: bounds the memory of a period
WRITE_BATCH = 5000
#: The largest attainment a line stores (999 999 %); points are capped at the weight anyway.
MAX_ATTAINMENT = Decimal("9999.9999")
FOUR = Decimal("0.0001")


def scored_partners(tenant):
    return Partner.objects.for_tenant(tenant).filter(stage__in=SCORED_STAGES)


@aggregate_memory()
@transaction.atomic
def scorecards_compute(*, tenant, period: str | Period, progress=None) -> dict:
    """Replace the period's scorecards with freshly computed ones.

    Queries: the KPIs, the partners, one aggregate per KPI source, the
    previous period's scores, two deletes, then per 5 000 partners
    (``WRITE_BATCH``) their targets, one insert of their cards, one
    insert of their lines and one update of their ranks: the count does not grow
    with partners below 5 000, and memory is bounded by a batch above it.
    """
    period = parse_period(period) if isinstance(period, str) else period
    ensure_default_kpis(tenant)
    kpis = list(Kpi.objects.for_tenant(tenant).filter(active=True))
    cap = Decimal(programme_for(tenant).attainment_cap) / 100
    partners = list(scored_partners(tenant).only("id", "region", "computed_tier", "tier_override"))
    measured = {kpi.pk: actuals(tenant, period, kpi) for kpi in kpis}
    if progress:
        progress(0.4)
    previous = dict(
        Scorecard.objects.for_tenant(tenant)
        .filter(period=period.previous().code)
        .values_list("partner_id", "score")
    )
    converted, missing = conversions_and_unconverted(
        Sale.objects.for_tenant(tenant).filter(date__gte=period.start, date__lte=period.end), tenant
    )
    now = timezone.now()
    _delete_period(tenant, period)
    ranking = []  # (card id, tier, region, score): the cohorts are ranked once every card is in
    for start in range(0, len(partners), WRITE_BATCH):  # memory bounded by a batch, not the channel
        cards, lines_of = [], []
        batch = partners[start : start + WRITE_BATCH]
        targets = _targets(tenant, period, batch)
        for partner in batch:
            lines = [_line(kpi, measured[kpi.pk], targets, partner.pk, cap) for kpi in kpis]
            # the score is computed from unrounded points and rounded once, when stored
            score = scoring.weighted_score([(line.kpi.weight, line.raw_points) for line in lines])
            dimensions = defaultdict(list)
            for line in lines:
                dimensions[line.kpi.dimension].append((line.kpi.weight, line.raw_points))
            cards.append((  # CARD_FIELDS
                tenant.pk, partner.pk, period.code, scoring.round_score(score) or Decimal(0), partner.tier,
                partner.region, 0, 0, previous.get(partner.pk), converted.get(partner.pk, []), now,
                {d: _float(scoring.round_score(scoring.weighted_score(v))) for d, v in dimensions.items()},
            ))  # fmt: skip
            lines_of.append(lines)
        ids = insert_rows(Scorecard, CARD_FIELDS, cards, tenant_id=tenant.pk, returning=True)
        insert_rows(
            ScorecardLine, LINE_FIELDS,
            [line.row(tenant.pk, card_id) for card_id, lines in zip(ids, lines_of, strict=True) for line in lines],
            tenant_id=tenant.pk,
        )  # fmt: skip
        # (card id, tier, region, score)
        ranking += [(card_id, card[4], card[5], card[3]) for card_id, card in zip(ids, cards, strict=True)]
    _rank(tenant, ranking)
    emit(tenant=tenant, name="scorecard.published",
         data={"period": period.code, "scorecards": len(ranking), "computed_at": now})  # fmt: skip
    result = {"period": period.code, "scorecards": len(ranking)}
    # sales of the period no rate converts count nothing: the job says which, so finance adds the rates
    return {**result, "unconverted": missing} if missing else result


def _delete_period(tenant, period: Period) -> None:
    """Two DELETE statements, whatever the number of scorecards (Django's collector would
    load every row and delete a hundred at a time).

    The lines go by their cards' ids (``scorecard_id IN (the period's cards)``, one index probe
    per card on ``scorecard_line_card``), not by a join back to the lines themselves."""
    old = Scorecard.objects.for_tenant(tenant).filter(period=period.code)
    ScorecardLine.objects.for_tenant(tenant).filter(scorecard__in=old.values("pk")).delete()
    old._raw_delete(old.db)  # lines are gone already; nothing else points at a scorecard


def _targets(tenant, period, partners) -> dict:
    """The period's targets of ``partners`` by (partner id, KPI id): plain rows, a batch at a time
    (a period holds one per partner and KPI: 700 000 at 100 000 partners)."""
    rows = (
        Target.objects.for_tenant(tenant)
        .filter(period=period.code, partner_id__in=[p.pk for p in partners])
        .values_list("partner_id", "kpi_id", "value")
    )
    return {(partner_id, kpi_id): value for partner_id, kpi_id, value in rows}


#: a card's columns, as ``scorecards_compute`` gives them
CARD_FIELDS = ["tenant_id", "partner_id", "period", "score", "tier", "region", "rank", "cohort_size", "previous_score",
               "conversions", "computed_at", "dimensions"]  # fmt: skip
#: a line's columns, as ``MeasuredLine.row`` gives them
LINE_FIELDS = ["tenant_id", "scorecard_id", "kpi_id", "code", "name", "dimension", "side", "direction", "target",
               "actual", "attainment", "weight", "points", "position"]  # fmt: skip


@dataclass(slots=True)
class MeasuredLine:
    """One KPI of one partner as measured: what a scorecard line stores, without a model instance."""

    kpi: Kpi
    target: Decimal | None
    actual: Decimal | None
    attainment: Decimal | None
    points: Decimal | None  # rounded to cents, as stored
    raw_points: Decimal | None  # unrounded: the score is computed from these

    def row(self, tenant_id: int, scorecard_id: int) -> tuple:
        kpi = self.kpi
        return (tenant_id, scorecard_id, kpi.pk, kpi.code, kpi.name, kpi.dimension, kpi.side, kpi.direction,
                self.target, self.actual, self.attainment, kpi.weight, self.points, kpi.position)  # fmt: skip


def _line(kpi, measured: dict | None, targets, partner_id, cap=scoring.ONE) -> MeasuredLine:
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
    return MeasuredLine(
        kpi=kpi, target=target,
        actual=None if actual is None else Decimal(actual).quantize(scoring.CENTS, rounding=ROUND_HALF_UP),
        attainment=None if attained is None else min(attained, MAX_ATTAINMENT).quantize(FOUR, rounding=ROUND_HALF_UP),
        points=None if points is None else points.quantize(scoring.CENTS, rounding=ROUND_HALF_UP), raw_points=points,
    )  # fmt: skip


def _rank(tenant, ranking: list[tuple]) -> None:
    """Rank within the cohort of the same tier and region (ties share a rank), written in UPDATEs of
    ``WRITE_BATCH`` cards."""
    cohorts = defaultdict(list)
    for card_id, tier, region, score in ranking:
        cohorts[(tier, region)].append((card_id, score))
    ranked = []
    for members in cohorts.values():
        ranks = scoring.competition_ranks(members)
        ranked += [  # what update_rows reads (pk and the two fields): no model instance per card
            SimpleNamespace(pk=card_id, rank=ranks[card_id], cohort_size=len(members))
            for card_id, _s in members
        ]
        if len(ranked) >= WRITE_BATCH:
            update_rows(Scorecard, ranked, ["rank", "cohort_size"], tenant_id=tenant.pk)
            ranked = []
    update_rows(Scorecard, ranked, ["rank", "cohort_size"], tenant_id=tenant.pk)


def _float(value):
    return None if value is None else float(value)

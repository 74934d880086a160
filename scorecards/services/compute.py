"""Computing every partner's scorecard for a period, set-based and idempotent.

Partners are made into cards a range at a time (``settings.PRM_SCORECARD_CHUNK`` partners,
``prm.ranges``): the range's targets, then its cards and lines as plain rows (``_measure``) from the
period's facts (``_facts``: each KPI source's answer, the previous scores, the conversions).
``scorecards_compute`` gathers the facts of the whole channel once (an aggregate a source) and
writes the ranges one after the other, all in one transaction. The ``scorecards.compute`` job
runs it as the computation ``SCORECARDS`` (``prm.jobs.computations``): in place when the partners
make one range, else the ranges go to several workers, each gathers its own range's facts (every
source takes a partner range) and keeps its rows aside, and the last one done joins them. Either
way the period's scorecards are written over in one transaction, ranked within their cohorts once
every card is in (``queries.cards_rank``: the same tier and region, widened to the tier, then to the
channel, where fewer than the programme's ``min_cohort_size`` partners would be compared).

A scorecard keeps its id across recomputes (links sent to partners, and payout lines that paid on
it, keep finding it): each range's cards go in with one ``INSERT … ON CONFLICT (tenant, partner,
period) DO UPDATE``, ``queries.cards_upsert``. A card carries a fingerprint of its figures
(``card_rows.card_digest``); the same statement
keeps the earlier figures of every card whose fingerprint changed as a ``ScorecardRevision`` (lines
and all) and removes its old lines, and only those cards get new lines. A card the computation no
longer produces (its partner is no longer scored) is kept and marked withdrawn.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from partners.choices import Stage
from partners.models import Partner, Sale
from prm.currency.conversion import conversions_and_unconverted, merged_unconverted
from prm.jobs.computations import Computation, Plan, register
from prm.periods import Period, parse_period, period_containing
from prm.ranges import id_ranges, in_range, within
from prm.sql import aggregate_memory, hold, insert_rows
from prm.webhooks.events import emit

from .. import scoring
from ..defaults import ensure_default_kpis
from ..models import Kpi, Scorecard, ScorecardLine, Target
from ..programme import scorecard_programme_for
from ..queries import cards_rank, cards_upsert
from ..sources import actuals
from .card_rows import CARD_FIELDS, LINE_FIELDS, Measured, as_float, card_digest, kpis_digest, measure_line

#: Partners who are measured: signed and certified ones.
SCORED_STAGES = [Stage.SIGNED, Stage.CERTIFIED]


def scored_partners(tenant):
    return Partner.objects.for_tenant(tenant).filter(stage__in=SCORED_STAGES)


@dataclass(kw_only=True, slots=True)
class ScorecardPlan(Plan):
    """A compute cut into partner ranges: what every range is measured with, so that ranges measured
    on different workers make one period (the same KPIs, the same time of computation)."""

    period: str
    kpi_ids: list[int]
    computed_at: str


def scorecards_plan(*, tenant, period: str | Period, chunk: int | None = None) -> ScorecardPlan:
    period = parse_period(period) if isinstance(period, str) else period
    ensure_default_kpis(tenant)
    ranges = id_ranges(scored_partners(tenant), chunk or settings.PRM_SCORECARD_CHUNK)
    return ScorecardPlan(
        period=period.code,
        ranges=ranges,
        kpi_ids=list(Kpi.objects.for_tenant(tenant).filter(active=True).values_list("pk", flat=True)),
        computed_at=timezone.now().isoformat(),
    )


@aggregate_memory()
@transaction.atomic
def scorecards_compute(*, tenant, period: str | Period, progress=None, chunk: int | None = None) -> dict:
    """Compute the period's scorecards afresh, written over the stored ones a range of partners at a time.

    Queries: the plan (KPIs, the partners' ids), one aggregate per KPI source over the channel, the
    previous scores and the conversions, then per range of ``PRM_SCORECARD_CHUNK`` partners its
    partners and targets, one upsert of its cards (keeping changed ones' earlier figures) and one
    insert of the lines of the cards that changed; the withdrawn cards and the ranks at the end.
    The count grows by range, not by partner. (A range measured on a worker runs every
    source over its own partners instead: ``ScorecardCompute.measure``.)
    """
    return _compute_planned(tenant, scorecards_plan(tenant=tenant, period=period, chunk=chunk), progress)


def _compute_planned(tenant, plan: ScorecardPlan, progress=None) -> dict:
    """``scorecards_compute`` of a plan made already (in its transaction)."""
    _hold_period(tenant, plan)
    kpis, written = _kpis(tenant, plan), 0
    facts = _facts(tenant, plan, kpis)  # one aggregate a source over the channel: cheapest in one process
    for index in range(len(plan.ranges)):
        written += _write(tenant, plan, _measure(tenant, plan, index, kpis, facts))
        if progress:
            progress(0.9 * (index + 1) / len(plan.ranges))
    return _finish(tenant, plan, written, [facts.unconverted])


def scorecard_refresh(tenant, partner_id: int, now) -> None:
    """The partner's card of the current quarter measured afresh as the quarter's compute measures it
    (a plan of one range: the partner alone), then the quarter's cards ranked again; only when the
    quarter has cards (somebody computed it) and the partner is scored. Its live figures
    (``partners.live``): the next compute of the quarter finds the card's figures unchanged."""
    period = period_containing(timezone.localdate(now), quarter=True)
    if not Scorecard.objects.for_tenant(tenant).current().filter(period=period.code).exists():
        return
    if not scored_partners(tenant).filter(pk=partner_id).exists():
        return
    plan = ScorecardPlan(
        period=period.code,
        ranges=[(partner_id, partner_id + 1)],
        kpi_ids=list(Kpi.objects.for_tenant(tenant).filter(active=True).values_list("pk", flat=True)),
        computed_at=now.isoformat(),
    )
    _hold_period(tenant, plan)
    kpis = _kpis(tenant, plan)
    _write(tenant, plan, _measure(tenant, plan, 0, kpis, _facts(tenant, plan, kpis, plan.ranges[0])))
    _rank(tenant, plan)


def _kpis(tenant, plan: ScorecardPlan) -> list[Kpi]:
    return list(Kpi.objects.for_tenant(tenant).filter(pk__in=plan.kpi_ids))  # in the model's order


@dataclass(slots=True)
class Facts:
    """What the cards are made from, of every partner or of one range: each KPI source's answer, the
    previous period's scores, the conversions of foreign sales and the sales no rate converts."""

    measured: dict
    previous: dict
    converted: dict
    unconverted: list


def _facts(tenant, plan: ScorecardPlan, kpis: list[Kpi], partners: tuple | None = None) -> Facts:
    """The period's facts of the partner range ``partners``, or of the whole channel."""
    period = parse_period(plan.period)
    cards = Scorecard.objects.for_tenant(tenant).current()  # a withdrawn card was no score of its period
    previous = within(cards, partners).filter(period=period.previous().code)
    sales = within(Sale.objects.for_tenant(tenant), partners).filter(
        date__gte=period.start, date__lte=period.end
    )
    converted, unconverted = conversions_and_unconverted(sales, tenant)
    return Facts(
        measured={kpi.pk: actuals(tenant, period, kpi, partners=partners) for kpi in kpis},
        previous=dict(previous.values_list("partner_id", "score")),
        converted=converted,
        unconverted=unconverted,
    )


def _measure(tenant, plan: ScorecardPlan, index: int, kpis: list[Kpi], facts: Facts) -> Measured:
    """The cards and lines of the plan's ``index``-th range of partners, as plain rows."""
    period, (low, high) = parse_period(plan.period), plan.ranges[index]
    now = plan.computed_at  # as text: the same instant to the microsecond on every worker, and through JSON
    cap = Decimal(scorecard_programme_for(tenant).attainment_cap) / 100
    partners = list(
        in_range(scored_partners(tenant), "pk", low, high)
        .only("id", "region", "computed_tier", "tier_override")
        .order_by("pk")
    )
    measured, previous, converted = facts.measured, facts.previous, facts.converted
    targets = _targets(tenant, period, partners)
    result = Measured(unconverted=facts.unconverted)
    kpis_digested = kpis_digest(kpis)
    for partner in partners:
        lines = [measure_line(kpi, measured[kpi.pk], targets, partner.pk, cap) for kpi in kpis]
        # the score is computed from unrounded points and rounded once, when stored
        score = scoring.weighted_score([(line.kpi.weight, line.raw_points) for line in lines])
        dimensions = defaultdict(list)
        for line in lines:
            dimensions[line.kpi.dimension].append((line.kpi.weight, line.raw_points))
        card = (  # CARD_FIELDS but the digest
            tenant.pk,
            partner.pk,
            period.code,
            scoring.round_score(score) or Decimal(0),
            partner.tier,
            partner.region,
            0,
            0,
            previous.get(partner.pk),
            converted.get(partner.pk, []),
            now,
            {d: as_float(scoring.round_score(scoring.weighted_score(v))) for d, v in dimensions.items()},
        )
        result.cards.append((*card, card_digest(kpis_digested, card, lines)))
        result.lines.append([line.values() for line in lines])
    return result


def _write(tenant, plan: ScorecardPlan, measured: Measured) -> int:
    """Write a range's cards over the period's (``queries.cards_upsert``: changed cards keep their
    earlier figures as a revision), then the lines of those that are new or whose figures changed;
    how many cards were written (they are ranked once every range is in: ``_rank``)."""
    written = cards_upsert(
        tenant_id=tenant.pk,
        period=plan.period,
        now=parse_datetime(plan.computed_at),
        fields=CARD_FIELDS,
        cards=measured.cards,
    )
    lines = []
    for card, card_lines in zip(measured.cards, measured.lines, strict=True):
        card_id, changed = written[card[1]]
        if changed:
            lines += [(tenant.pk, card_id, *line) for line in card_lines]
    insert_rows(ScorecardLine, LINE_FIELDS, lines, tenant_id=tenant.pk)
    return len(measured.cards)


def _hold_period(tenant, plan) -> None:
    """One computation of a period's scorecards writes at a time (the beat's and a manager's, say):
    the second waits, then reads the cards the first wrote, so no card gets its lines twice."""
    hold(f"scorecards.compute:{tenant.pk}:{plan.period}")


def _withdraw(tenant, plan: ScorecardPlan) -> int:
    """Mark the period's cards this computation did not write (their partners are no longer scored)
    withdrawn, in one UPDATE: kept, so that links and payout lines still find them."""
    computed = parse_datetime(plan.computed_at)
    return (
        Scorecard.objects.for_tenant(tenant)
        .current()
        .filter(period=plan.period)
        .exclude(computed_at=computed)
        .update(withdrawn_at=computed)
    )


def _finish(tenant, plan: ScorecardPlan, written: int, unconverted: list[list[dict]]) -> dict:
    """Mark the cards no longer produced withdrawn, rank the period's cards in their cohorts, tell the
    webhooks, and say what was done."""
    withdrawn = _withdraw(tenant, plan)
    _rank(tenant, plan)
    emit(
        tenant=tenant,
        name="scorecard.published",
        data={
            "period": plan.period,
            "scorecards": written,
            "computed_at": parse_datetime(plan.computed_at),
        },
    )
    result = {"period": plan.period, "scorecards": written}
    if withdrawn:
        result["withdrawn"] = withdrawn
    # sales of the period no rate converts count nothing: the job says which, so finance adds the rates
    missing = merged_unconverted(unconverted)
    return {**result, "unconverted": missing} if missing else result


def _targets(tenant, period, partners) -> dict:
    """The period's targets of ``partners`` by (partner id, KPI id): plain rows, a batch at a time
    (a period holds one per partner and KPI: 700 000 at 100 000 partners)."""
    rows = (
        Target.objects.for_tenant(tenant)
        .filter(period=period.code, partner_id__in=[p.pk for p in partners])
        .values_list("partner_id", "kpi_id", "value")
    )
    return {(partner_id, kpi_id): value for partner_id, kpi_id, value in rows}


def _rank(tenant, plan: ScorecardPlan) -> None:
    """Rank the period's cards within their cohorts (``queries.cards_rank``): the same tier and
    region, widened to the tier in every region, then to the whole channel, where a cohort has fewer
    than the programme's ``min_cohort_size`` members. One statement over the period, once every
    range is written: a compute in one process and one joined from ranges rank alike."""
    cards_rank(
        tenant_id=tenant.pk,
        period=plan.period,
        min_size=scorecard_programme_for(tenant).min_cohort_size,
    )


class ScorecardCompute(Computation):
    """A period's scorecards over ranges of partners: each range gathers its own partners' facts
    (every KPI source takes a range) and measures their cards and lines as plain rows; the join
    writes every range's cards over the period's and ranks them, as ``scorecards_compute`` does in
    one process (which gathers each source once for the whole channel instead)."""

    name = "scorecards.compute"
    label = "scorecard compute"
    plan_class = ScorecardPlan

    def plan(self, tenant, *, period: str | Period, chunk: int | None = None, **params) -> ScorecardPlan:
        return scorecards_plan(tenant=tenant, period=period, chunk=chunk)

    def measure(self, tenant, plan: ScorecardPlan, index: int) -> dict:
        """``{"cards": [CARD_FIELDS rows], "lines": [[LINE_VALUES rows] a card], "unconverted": [...]}``."""
        kpis = _kpis(tenant, plan)
        measured = _measure(tenant, plan, index, kpis, _facts(tenant, plan, kpis, plan.ranges[index]))
        return {"cards": measured.cards, "lines": measured.lines, "unconverted": measured.unconverted}

    def join(self, tenant, plan: ScorecardPlan, chunks) -> dict:
        _hold_period(tenant, plan)
        written, unconverted = 0, []
        for payload in chunks.payloads():
            written += _write(
                tenant, plan, Measured(payload["cards"], payload["lines"], payload["unconverted"])
            )
            unconverted.append(payload["unconverted"])
        return _finish(tenant, plan, written, unconverted)

    @aggregate_memory()
    @transaction.atomic
    def in_place(self, tenant, plan: ScorecardPlan, progress=None) -> dict:
        return _compute_planned(tenant, plan, progress)

    def result(self, tenant, outcome: dict) -> dict:
        url = reverse("scorecards:list", kwargs={"tenant": tenant.slug}) + f"?period={outcome['period']}"
        return {**outcome, "url": url}

    def describe(self, plan: ScorecardPlan) -> str:
        return f"scorecards {plan.period}"


SCORECARDS = register(ScorecardCompute())

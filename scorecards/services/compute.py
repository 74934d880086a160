"""Computing every partner's scorecard for a period, set-based and idempotent.

Partners are made into cards a range at a time (``settings.PRM_SCORECARD_CHUNK`` partners,
``prm.ranges``): the range's targets, then its cards and lines as plain rows (``_measure``) from the
period's facts (``_facts``: each KPI source's answer, the previous scores, the conversions).
``scorecards_compute`` gathers the facts of the whole channel once (an aggregate a source) and
writes the ranges one after the other, all in one transaction. The ``scorecards.compute`` job
sends the ranges to several workers instead: each gathers its own range's facts (every source
takes a partner range) and keeps its rows aside in a ``ScorecardChunk``
(``scorecards_chunk_compute``), and the last one done joins them (``scorecards_join``). Either way
the period's scorecards are replaced whole, ranked within their cohorts once every card is in.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from partners.choices import Stage
from partners.conversion import conversions_and_unconverted, merged_unconverted
from partners.models import Partner, Sale
from partners.programme import programme_for
from prm.periods import Period, parse_period
from prm.ranges import id_ranges, in_range, within
from prm.sql import aggregate_memory, insert_rows, update_rows
from prm.webhooks.events import emit

from .. import scoring
from ..defaults import ensure_default_kpis
from ..models import Kpi, Scorecard, ScorecardChunk, ScorecardLine, Target
from ..sources import actuals

#: Partners who are measured: signed and certified ones.
SCORED_STAGES = [Stage.SIGNED, Stage.CERTIFIED]
#: Cards whose ranks one UPDATE writes. (Partners are measured and written a range of
#: ``settings.PRM_SCORECARD_CHUNK`` at a time: that bounds the memory of a period, and is the unit
#: of work several workers share when the compute fans out.)
WRITE_BATCH = 5000
#: The largest attainment a line stores (999 999 %); points are capped at the weight anyway.
MAX_ATTAINMENT = Decimal("9999.9999")
FOUR = Decimal("0.0001")


def scored_partners(tenant):
    return Partner.objects.for_tenant(tenant).filter(stage__in=SCORED_STAGES)


@dataclass(slots=True)
class ScorecardPlan:
    """A compute cut into partner ranges: what every range is measured with, so that ranges measured
    on different workers make one period (the same KPIs, the same time of computation)."""

    period: str
    token: str
    ranges: list[tuple[int, int | None]]
    kpi_ids: list[int]
    computed_at: str


@dataclass(slots=True)
class Measured:
    """One range of partners measured: its cards' rows (``CARD_FIELDS``), each card's lines' rows
    (``LINE_VALUES``) and its sales no rate converts."""

    cards: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    unconverted: list = field(default_factory=list)


def scorecards_plan(*, tenant, period: str | Period, chunk: int | None = None) -> ScorecardPlan:
    period = parse_period(period) if isinstance(period, str) else period
    ensure_default_kpis(tenant)
    ranges = id_ranges(scored_partners(tenant), chunk or settings.PRM_SCORECARD_CHUNK)
    return ScorecardPlan(
        period=period.code, token=str(uuid.uuid4()), ranges=ranges,
        kpi_ids=list(Kpi.objects.for_tenant(tenant).filter(active=True).values_list("pk", flat=True)),
        computed_at=timezone.now().isoformat(),
    )  # fmt: skip


@aggregate_memory()
@transaction.atomic
def scorecards_compute(*, tenant, period: str | Period, progress=None, chunk: int | None = None) -> dict:
    """Replace the period's scorecards with freshly computed ones, written a range of partners at a time.

    Queries: the plan (KPIs, the partners' ids), one aggregate per KPI source over the channel, the
    previous scores and the conversions, two deletes, then per range of ``PRM_SCORECARD_CHUNK``
    partners its partners and targets, one insert of its cards and one of their lines; the ranks at
    the end. The count grows by range, not by partner. (A range measured on a worker runs every
    source over its own partners instead: ``scorecards_chunk_compute``.)
    """
    plan = scorecards_plan(tenant=tenant, period=period, chunk=chunk)
    kpis, ranking = _kpis(tenant, plan), []
    facts = _facts(tenant, plan, kpis)  # one aggregate a source over the channel: cheapest in one process
    _delete_period(tenant, parse_period(plan.period))
    for index in range(len(plan.ranges)):
        ranking += _write(tenant, _measure(tenant, plan, index, kpis, facts))
        if progress:
            progress(0.9 * (index + 1) / len(plan.ranges))
    return _finish(tenant, plan, ranking, [facts.unconverted])


@aggregate_memory()  # a range aggregates its sales as the whole channel does: hashed, not by index
def scorecards_chunk_compute(*, tenant, plan: ScorecardPlan, index: int) -> ScorecardChunk:
    """Measure one range of a planned compute and keep its rows until the join (measuring a range
    again replaces what it kept)."""
    kpis = _kpis(tenant, plan)
    measured = _measure(tenant, plan, index, kpis, _facts(tenant, plan, kpis, plan.ranges[index]))
    chunk, _created = ScorecardChunk.objects.for_tenant(tenant).update_or_create(
        tenant=tenant, token=plan.token, index=index,
        defaults={"period": plan.period, "cards": measured.cards, "lines": measured.lines,
                  "unconverted": measured.unconverted},
    )  # fmt: skip
    return chunk


@aggregate_memory()
@transaction.atomic
def scorecards_join(*, tenant, plan: ScorecardPlan) -> dict:
    """Replace the period's scorecards with every range's, in one transaction, and rank them."""
    chunks = ScorecardChunk.objects.for_tenant(tenant).filter(token=plan.token)
    if chunks.count() != len(plan.ranges):
        raise RuntimeError(
            f"scorecards {plan.period}: {chunks.count()} of {len(plan.ranges)} chunks computed"
        )
    _delete_period(tenant, parse_period(plan.period))
    ranking, unconverted = [], []
    for chunk in chunks.order_by("index").iterator(chunk_size=1):
        ranking += _write(tenant, Measured(chunk.cards, chunk.lines, chunk.unconverted))
        unconverted.append(chunk.unconverted)
    chunks.delete()
    stale = timezone.now() - timedelta(days=1)  # left by computations that died
    ScorecardChunk.objects.for_tenant(tenant).filter(created_at__lt=stale).delete()
    return _finish(tenant, plan, ranking, unconverted)


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
    previous = within(Scorecard.objects.for_tenant(tenant), partners).filter(period=period.previous().code)
    sales = within(Sale.objects.for_tenant(tenant), partners).filter(
        date__gte=period.start, date__lte=period.end
    )
    converted, unconverted = conversions_and_unconverted(sales, tenant)
    return Facts(
        measured={kpi.pk: actuals(tenant, period, kpi, partners=partners) for kpi in kpis},
        previous=dict(previous.values_list("partner_id", "score")), converted=converted, unconverted=unconverted,
    )  # fmt: skip


def _measure(tenant, plan: ScorecardPlan, index: int, kpis: list[Kpi], facts: Facts) -> Measured:
    """The cards and lines of the plan's ``index``-th range of partners, as plain rows."""
    period, (low, high) = parse_period(plan.period), plan.ranges[index]
    now = plan.computed_at  # as text: the same instant to the microsecond on every worker, and through JSON
    cap = Decimal(programme_for(tenant).attainment_cap) / 100
    partners = list(
        in_range(scored_partners(tenant), "pk", low, high)
        .only("id", "region", "computed_tier", "tier_override").order_by("pk")
    )  # fmt: skip
    measured, previous, converted = facts.measured, facts.previous, facts.converted
    targets = _targets(tenant, period, partners)
    result = Measured(unconverted=facts.unconverted)
    for partner in partners:
        lines = [_line(kpi, measured[kpi.pk], targets, partner.pk, cap) for kpi in kpis]
        # the score is computed from unrounded points and rounded once, when stored
        score = scoring.weighted_score([(line.kpi.weight, line.raw_points) for line in lines])
        dimensions = defaultdict(list)
        for line in lines:
            dimensions[line.kpi.dimension].append((line.kpi.weight, line.raw_points))
        result.cards.append((  # CARD_FIELDS
            tenant.pk, partner.pk, period.code, scoring.round_score(score) or Decimal(0), partner.tier,
            partner.region, 0, 0, previous.get(partner.pk), converted.get(partner.pk, []), now,
            {d: _float(scoring.round_score(scoring.weighted_score(v))) for d, v in dimensions.items()},
        ))  # fmt: skip
        result.lines.append([line.values() for line in lines])
    return result


def _write(tenant, measured: Measured) -> list[tuple]:
    """Insert a range's cards, then their lines; its (card id, tier, region, score) for ranking."""
    ids = insert_rows(Scorecard, CARD_FIELDS, measured.cards, tenant_id=tenant.pk, returning=True)
    insert_rows(
        ScorecardLine, LINE_FIELDS,
        [(tenant.pk, card_id, *line) for card_id, lines in zip(ids, measured.lines, strict=True) for line in lines],
        tenant_id=tenant.pk,
    )  # fmt: skip
    return [
        (card_id, card[4], card[5], Decimal(str(card[3])))
        for card_id, card in zip(ids, measured.cards, strict=True)
    ]


def _finish(tenant, plan: ScorecardPlan, ranking: list[tuple], unconverted: list[list[dict]]) -> dict:
    """Rank the period's cards in their cohorts, tell the webhooks, and say what was done."""
    _rank(tenant, ranking)
    emit(tenant=tenant, name="scorecard.published",
         data={"period": plan.period, "scorecards": len(ranking), "computed_at": parse_datetime(plan.computed_at)})  # fmt: skip
    result = {"period": plan.period, "scorecards": len(ranking)}
    # sales of the period no rate converts count nothing: the job says which, so finance adds the rates
    missing = merged_unconverted(unconverted)
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


#: a card's columns, as ``_measure`` gives them
CARD_FIELDS = ["tenant_id", "partner_id", "period", "score", "tier", "region", "rank", "cohort_size", "previous_score",
               "conversions", "computed_at", "dimensions"]  # fmt: skip
#: a line's own columns, as ``MeasuredLine.values`` gives them
LINE_VALUES = ["kpi_id", "code", "name", "dimension", "side", "direction", "target", "actual", "attainment", "weight",
               "points", "position"]  # fmt: skip
#: a line's columns: its tenant and card, then its own
LINE_FIELDS = ["tenant_id", "scorecard_id", *LINE_VALUES]


@dataclass(slots=True)
class MeasuredLine:
    """One KPI of one partner as measured: what a scorecard line stores, without a model instance."""

    kpi: Kpi
    target: Decimal | None
    actual: Decimal | None
    attainment: Decimal | None
    points: Decimal | None  # rounded to cents, as stored
    raw_points: Decimal | None  # unrounded: the score is computed from these

    def values(self) -> tuple:
        """The line's ``LINE_VALUES``."""
        kpi = self.kpi
        return (kpi.pk, kpi.code, kpi.name, kpi.dimension, kpi.side, kpi.direction,
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

"""Computing every partner's scorecard for a period, set-based and idempotent.

Partners are made into cards a range at a time (``settings.PRM_SCORECARD_CHUNK`` partners,
``prm.ranges``): the range's targets, then its cards and lines as plain rows (``_measure``) from the
period's facts (``_facts``: each KPI source's answer, the previous scores, the conversions).
``scorecards_compute`` gathers the facts of the whole channel once (an aggregate a source) and
writes the ranges one after the other, all in one transaction. The ``scorecards.compute`` job
sends the ranges to several workers instead: each gathers its own range's facts (every source
takes a partner range) and keeps its rows aside in a ``ScorecardChunk``
(``scorecards_chunk_compute``), and the last one done joins them (``scorecards_join``). Either way
the period's scorecards are written over in one transaction, ranked within their cohorts once every
card is in.

A scorecard keeps its id across recomputes (links sent to partners, and payout lines that paid on
it, keep finding it): each range's cards go in with one ``INSERT … ON CONFLICT (tenant, partner,
period) DO UPDATE``. A card carries a fingerprint of its figures (``_digest``); the same statement
keeps the earlier figures of every card whose fingerprint changed as a ``ScorecardRevision`` (lines
and all) and removes its old lines, and only those cards get new lines. A card the computation no
longer produces (its partner is no longer scored) is kept and marked withdrawn.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from partners.choices import Stage
from partners.models import Partner, Sale
from prm.currency.conversion import conversions_and_unconverted, merged_unconverted
from prm.periods import Period, parse_period
from prm.ranges import id_ranges, in_range, within
from prm.sql import aggregate_memory, hold, insert_rows, unnest_arrays, update_rows
from prm.webhooks.events import emit

from .. import scoring
from ..defaults import ensure_default_kpis
from ..models import Kpi, Scorecard, ScorecardChunk, ScorecardLine, ScorecardRevision, Target
from ..programme import scorecard_programme_for
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
        period=period.code,
        token=str(uuid.uuid4()),
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
    source over its own partners instead: ``scorecards_chunk_compute``.)
    """
    plan = scorecards_plan(tenant=tenant, period=period, chunk=chunk)
    _hold_period(tenant, plan)
    kpis, ranking = _kpis(tenant, plan), []
    facts = _facts(tenant, plan, kpis)  # one aggregate a source over the channel: cheapest in one process
    for index in range(len(plan.ranges)):
        ranking += _write(tenant, plan, _measure(tenant, plan, index, kpis, facts))
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
        tenant=tenant,
        token=plan.token,
        index=index,
        defaults={
            "period": plan.period,
            "cards": measured.cards,
            "lines": measured.lines,
            "unconverted": measured.unconverted,
        },
    )
    return chunk


@aggregate_memory()
@transaction.atomic
def scorecards_join(*, tenant, plan: ScorecardPlan) -> dict:
    """Write every range's cards over the period's, in one transaction, and rank them."""
    _hold_period(tenant, plan)
    chunks = ScorecardChunk.objects.for_tenant(tenant).filter(token=plan.token)
    if chunks.count() != len(plan.ranges):
        raise RuntimeError(
            f"scorecards {plan.period}: {chunks.count()} of {len(plan.ranges)} chunks computed"
        )
    ranking, unconverted = [], []
    for chunk in chunks.order_by("index").iterator(chunk_size=1):
        ranking += _write(tenant, plan, Measured(chunk.cards, chunk.lines, chunk.unconverted))
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
    kpis_digest = _kpis_digest(kpis)
    for partner in partners:
        lines = [_line(kpi, measured[kpi.pk], targets, partner.pk, cap) for kpi in kpis]
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
            {d: _float(scoring.round_score(scoring.weighted_score(v))) for d, v in dimensions.items()},
        )
        result.cards.append((*card, _digest(kpis_digest, card, lines)))
        result.lines.append([line.values() for line in lines])
    return result


def _write(tenant, plan: ScorecardPlan, measured: Measured) -> list[tuple]:
    """Write a range's cards over the period's (``_upsert``), then the lines of those that are new
    or whose figures changed; the cards' (id, tier, region, score) for ranking."""
    written = _upsert(tenant, plan, measured.cards)
    lines, ranking = [], []
    for card, card_lines in zip(measured.cards, measured.lines, strict=True):
        card_id, changed = written[card[1]]
        if changed:
            lines += [(tenant.pk, card_id, *line) for line in card_lines]
        ranking.append((card_id, card[4], card[5], Decimal(str(card[3]))))
    insert_rows(ScorecardLine, LINE_FIELDS, lines, tenant_id=tenant.pk)
    return ranking


def _hold_period(tenant, plan) -> None:
    """One computation of a period's scorecards writes at a time (the beat's and a manager's, say):
    the second waits, then reads the cards the first wrote, so no card gets its lines twice."""
    hold(f"scorecards.compute:{tenant.pk}:{plan.period}")


#: what a recompute writes over in a stored card (its rank and cohort size come with the ranking)
UPDATED = ["score", "tier", "region", "previous_score", "conversions", "computed_at", "dimensions", "digest"]
#: the columns of a card a revision keeps, as they are named in both tables
KEPT = [
    "score",
    "tier",
    "region",
    "rank",
    "cohort_size",
    "previous_score",
    "dimensions",
    "conversions",
    "computed_at",
]


def _upsert(tenant, plan: ScorecardPlan, cards: list[tuple]) -> dict[int, tuple[int, bool]]:
    """Write ``cards`` (``CARD_FIELDS`` rows) over the period's stored ones in one statement, and say
    for each partner id its card's id and whether its figures are new (a new card, or another digest).

    The statement inserts the cards of new partners and updates the others in place (``ON CONFLICT
    … DO UPDATE``: same id, ``withdrawn_at`` cleared). A stored card whose digest differs from the
    new one first has its figures and lines kept as a ``ScorecardRevision`` and its lines removed,
    and its ``revision`` goes up by one; a card with the same digest keeps its lines and history.
    (Every part of the statement reads the table as it was when the statement began.)"""
    if not cards:
        return {}
    columns, arrays, casts = unnest_arrays(Scorecard, CARD_FIELDS, cards)
    params = {f"a{i}": array for i, array in enumerate(arrays)}
    params.update(tenant=tenant.pk, period=plan.period, now=parse_datetime(plan.computed_at))
    unnest = ", ".join(cast.replace("%s", f"%(a{i})s", 1) for i, cast in enumerate(casts))
    names = ", ".join(columns)
    card, line, revision = (model._meta.db_table for model in (Scorecard, ScorecardLine, ScorecardRevision))
    kept = ", ".join(f'"{name}"' for name in KEPT)
    line_fields = ", ".join(
        f"'{name}', l.\"{name}\""
        + ("::text" if name in ("target", "actual", "attainment", "weight", "points") else "")
        for name in (
            "code",
            "name",
            "dimension",
            "side",
            "direction",
            "target",
            "actual",
            "attainment",
            "weight",
            "points",
        )
    )
    updates = ", ".join(f'"{name}" = EXCLUDED."{name}"' for name in UPDATED)
    sql = f"""
        WITH v AS (SELECT * FROM unnest({unnest}) AS v ({names})),
        old AS (
            SELECT s.* FROM "{card}" s JOIN v ON s.partner_id = v.partner_id
            WHERE s.tenant_id = %(tenant)s AND s.period = %(period)s
        ),
        changed AS (SELECT old.* FROM old JOIN v ON v.partner_id = old.partner_id WHERE old.digest <> v.digest),
        kept AS (
            INSERT INTO "{revision}" (tenant_id, scorecard_id, revision, {kept}, superseded_at, lines)
            SELECT c.tenant_id, c.id, c.revision, {", ".join(f"c.{name}" for name in KEPT)}, %(now)s,
                   (SELECT coalesce(jsonb_agg(jsonb_build_object({line_fields}) ORDER BY l.position, l.code), '[]')
                    FROM "{line}" l WHERE l.tenant_id = c.tenant_id AND l.scorecard_id = c.id)
            FROM changed c WHERE c.digest <> ''  -- (a card stored before digests were kept: no revision)
        ),
        cleared AS (DELETE FROM "{line}" l USING changed c WHERE l.tenant_id = %(tenant)s AND l.scorecard_id = c.id),
        written AS (
            INSERT INTO "{card}" AS s ({names}) SELECT {names} FROM v
            ON CONFLICT (tenant_id, partner_id, period) DO UPDATE SET {updates}, withdrawn_at = NULL,
                revision = s.revision + (s.digest <> EXCLUDED.digest AND s.digest <> '')::int
            RETURNING s.id, s.partner_id, s.digest
        )
        SELECT w.partner_id, w.id, old.id IS NULL OR old.digest <> w.digest
        FROM written w LEFT JOIN old ON old.id = w.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {partner_id: (card_id, changed) for partner_id, card_id, changed in cursor.fetchall()}


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


def _finish(tenant, plan: ScorecardPlan, ranking: list[tuple], unconverted: list[list[dict]]) -> dict:
    """Mark the cards no longer produced withdrawn, rank the period's cards in their cohorts, tell the
    webhooks, and say what was done."""
    withdrawn = _withdraw(tenant, plan)
    _rank(tenant, ranking)
    emit(
        tenant=tenant,
        name="scorecard.published",
        data={
            "period": plan.period,
            "scorecards": len(ranking),
            "computed_at": parse_datetime(plan.computed_at),
        },
    )
    result = {"period": plan.period, "scorecards": len(ranking)}
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


#: a card's columns, as ``_measure`` gives them
CARD_FIELDS = [
    "tenant_id",
    "partner_id",
    "period",
    "score",
    "tier",
    "region",
    "rank",
    "cohort_size",
    "previous_score",
    "conversions",
    "computed_at",
    "dimensions",
    "digest",
]
#: a line's own columns, as ``MeasuredLine.values`` gives them
LINE_VALUES = [
    "kpi_id",
    "code",
    "name",
    "dimension",
    "side",
    "direction",
    "target",
    "actual",
    "attainment",
    "weight",
    "points",
    "position",
]
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
        return (
            kpi.pk,
            kpi.code,
            kpi.name,
            kpi.dimension,
            kpi.side,
            kpi.direction,
            self.target,
            self.actual,
            self.attainment,
            kpi.weight,
            self.points,
            kpi.position,
        )


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
        kpi=kpi,
        target=target,
        actual=None if actual is None else Decimal(actual).quantize(scoring.CENTS, rounding=ROUND_HALF_UP),
        attainment=None
        if attained is None
        else min(attained, MAX_ATTAINMENT).quantize(FOUR, rounding=ROUND_HALF_UP),
        points=None if points is None else points.quantize(scoring.CENTS, rounding=ROUND_HALF_UP),
        raw_points=points,
    )


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


def _kpis_digest(kpis: list[Kpi]) -> str:
    """What the lines take from the KPIs, as a fingerprint: a KPI renamed or reweighed changes every card."""
    described = "|".join(
        f"{k.pk},{k.code},{k.name},{k.dimension},{k.side},{k.direction},{k.weight},{k.position}" for k in kpis
    )
    return hashlib.md5(described.encode(), usedforsecurity=False).hexdigest()


def _digest(kpis_digest: str, card: tuple, lines: list[MeasuredLine]) -> str:
    """A fingerprint of a card's figures: its score, tier, region, previous score, conversions and
    dimensions, and its lines' targets, actuals, attainments and points (of the KPIs of
    ``kpis_digest``). Taken before a card is kept aside as JSON, so a range measured on a worker
    gives the one a range measured in place does."""
    _t, _p, _period, score, tier, region, _r, _c, previous, conversions, _at, dimensions = card
    figures = [kpis_digest, str(score), tier, region, str(previous), str(conversions), str(dimensions)]
    figures += [f"{line.target},{line.actual},{line.attainment},{line.points}" for line in lines]
    return hashlib.md5("|".join(figures).encode(), usedforsecurity=False).hexdigest()


def _float(value):
    return None if value is None else float(value)

"""A range of partners' scorecards as plain rows: what ``services.compute`` measures, keeps aside
as JSON when a range runs on a worker, and writes.

A card is a tuple of ``CARD_FIELDS``, each of its lines a tuple of ``LINE_VALUES`` (no model
instance per card or line: 700,000 lines a quarter at 100,000 partners). ``measure_line`` is one
KPI of one partner as measured; ``card_digest`` the fingerprint of a card's figures that tells a
recompute whether the card changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .. import scoring
from ..models import Kpi

#: The largest attainment a line stores (999 999 %); points are capped at the weight anyway.
MAX_ATTAINMENT = Decimal("9999.9999")
FOUR = Decimal("0.0001")


@dataclass(slots=True)
class Measured:
    """One range of partners measured: its cards' rows (``CARD_FIELDS``), each card's lines' rows
    (``LINE_VALUES``) and its sales no rate converts."""

    cards: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    unconverted: list = field(default_factory=list)


#: a card's columns, as ``compute._measure`` gives them
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
    "unit",
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
            kpi.unit,
            self.target,
            self.actual,
            self.attainment,
            kpi.weight,
            self.points,
            kpi.position,
        )


def measure_line(kpi, measured: dict | None, targets, partner_id, cap=scoring.ONE) -> MeasuredLine:
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


def kpis_digest(kpis: list[Kpi]) -> str:
    """What the lines take from the KPIs, as a fingerprint: a KPI renamed, reweighed or given another
    unit changes every card."""
    described = "|".join(
        f"{k.pk},{k.code},{k.name},{k.dimension},{k.side},{k.direction},{k.unit},{k.weight},{k.position}"
        for k in kpis
    )
    return hashlib.md5(described.encode(), usedforsecurity=False).hexdigest()


def card_digest(kpis_digest: str, card: tuple, lines: list[MeasuredLine]) -> str:
    """A fingerprint of a card's figures: its score, tier, region, previous score, conversions and
    dimensions, and its lines' targets, actuals, attainments and points (of the KPIs of
    ``kpis_digest``). Taken before a card is kept aside as JSON, so a range measured on a worker
    gives the one a range measured in place does."""
    _t, _p, _period, score, tier, region, _r, _c, previous, conversions, _at, dimensions = card
    figures = [kpis_digest, str(score), tier, region, str(previous), str(conversions), str(dimensions)]
    figures += [f"{line.target},{line.actual},{line.attainment},{line.points}" for line in lines]
    return hashlib.md5("|".join(figures).encode(), usedforsecurity=False).hexdigest()


def as_float(value):
    return None if value is None else float(value)

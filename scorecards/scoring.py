"""Scoring as pure functions: attainment, points, the weighted score, ranks.

- Attainment compares the actual with the target: ``actual / target`` when
  higher is better, ``target / actual`` when lower is better.
- Points are ``weight × attainment``, with attainment held between 0 and 1:
  beating one target does not make up for missing another, so no single KPI
  (or dimension) can dominate.
- The score is ``100 × Σ points / Σ weights`` over the KPIs that could be
  measured (a KPI with no data or no target is shown but not counted).
- Money and scores are Decimals; the score is rounded once, half up, to two
  places when stored. Points are rounded for display only.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .choices import Direction

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
#: Attainment when lower is better and the actual is zero (better than any target).
LOWER_IS_BETTER_AT_ZERO = Decimal("1.5")
CENTS = Decimal("0.01")
BALANCE_SPREAD = Decimal(20)


def attainment(actual: Decimal | None, target: Decimal | None, direction: str) -> Decimal | None:
    if actual is None or target is None:
        return None
    if direction == Direction.LOWER:
        if actual <= 0:
            return LOWER_IS_BETTER_AT_ZERO
        return target / actual
    if target == 0:
        return ONE if actual >= 0 else ZERO
    return actual / target


def points(weight: Decimal, attained: Decimal | None, cap: Decimal = ONE) -> Decimal | None:
    """``weight × attainment``, attainment held between 0 and ``cap`` (the programme's cap, 1 = 100%)."""
    if attained is None:
        return None
    return weight * min(max(attained, ZERO), cap)


def weighted_score(lines: list[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """``lines`` are (weight, points or None); None when nothing could be measured."""
    counted = [(w, p) for w, p in lines if p is not None]
    total_weight = sum((w for w, _ in counted), ZERO)
    if not counted or total_weight == 0:
        return None
    return HUNDRED * sum((p for _, p in counted), ZERO) / total_weight


def round_score(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENTS, rounding=ROUND_HALF_UP)


def is_balanced(dimensions: dict[str, Decimal | None], spread: Decimal = BALANCE_SPREAD) -> bool | None:
    """Balanced when the measured dimensions lie within ``spread`` points of each other (the
    programme's setting, 20 by default)."""
    values = [Decimal(str(v)) for v in dimensions.values() if v is not None]
    if len(values) < 2:
        return None
    return max(values) - min(values) <= Decimal(spread)


def competition_ranks(scores: list[tuple[int, Decimal]]) -> dict[int, int]:
    """Rank ids by score, highest first; ties share a rank (1, 2, 2, 4)."""
    ordered = sorted(scores, key=lambda item: item[1], reverse=True)
    ranks, previous, rank = {}, None, 0
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks

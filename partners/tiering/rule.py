"""A–D tiering as pure functions: axis scores from measured data and assessments, then the rule.

Each axis is scored 0–100. The measured part comes from the partner's data
over the tenant's trailing window, relative to its cohort; the assessed
part is the latest tier assessment's 1–5 rating mapped to 0–100. The two are
blended with the tenant's ``assessment_weight``. An axis is strong (high)
when its score reaches the tenant's threshold, and the tenant's tier table
maps the three answers to a tier.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

#: The axes; the names are marked so templates can translate them ({% translate axis %}).
AXES = (gettext_noop("competitiveness"), gettext_noop("willingness"), gettext_noop("autonomy"))


@dataclass(frozen=True)
class PartnerFacts:
    """What was measured of one partner in the window."""

    revenue: float = 0.0
    registrations: int = 0
    won: int = 0
    lost: int = 0
    self_sourced: int = 0
    visits: int = 0
    visits_goal_met: int = 0
    #: Scores 0–100 of the willingness inputs other apps measure ({"training": 50.0, "leads": …}).
    extra: dict = field(default_factory=dict)
    #: Revenue in other currencies and what it converted to: [{"currency", "amount", "converted"}].
    foreign: list = field(default_factory=list)


#: Default weights of the willingness inputs (the programme's ``willingness_weights``).
EQUAL_WEIGHTS = {"registrations": 1.0, "visits": 1.0, "training": 1.0, "leads": 1.0}


def percentile(value: float, sorted_values: list[float]) -> float:
    """Mid-rank percentile 0–100 of ``value`` within the cohort (ties share a rank)."""
    n = len(sorted_values)
    if n <= 1:
        return 50.0 if n == 1 else 0.0
    below = bisect_left(sorted_values, value)
    equal = bisect_right(sorted_values, value) - below
    # a value outside the cohort (a partner measured against the sellers) has equal == 0:
    # below the lowest it is 0, above the highest 100, never outside 0–100
    rank = 100.0 * (below + (equal - 1) / 2) / (n - 1)
    return round(min(100.0, max(0.0, rank)), 1)


def measured_axes(
    facts: PartnerFacts,
    cohort_revenue: list[float],
    cohort_registrations: list[float],
    revenue_weight: float = 0.6,
    willingness_weights: dict | None = None,
):
    """The measured score of each axis (None where there is nothing to measure), and its inputs.

    Competitiveness is the revenue percentile and the win rate, weighted ``revenue_weight`` and the
    rest (the programme's setting), or the percentile alone while no deal has closed. Willingness
    is the weighted mean of its inputs that have data for the partner (``willingness_weights``:
    registrations percentile, share of visits that met their goal, and the ``extra`` scores such
    as training and leads); an input weighted 0 is left out. ``inputs["willingness"]`` lists the
    inputs used with their scores and weights."""
    weights = EQUAL_WEIGHTS if willingness_weights is None else willingness_weights
    inputs = {}
    competitiveness = None
    if _any_sorted(cohort_revenue):
        revenue_pct = percentile(facts.revenue, cohort_revenue)
        inputs["revenue"] = round(facts.revenue, 2)
        if facts.foreign:  # the conversions behind the revenue, each with its mean rate
            inputs["revenue_converted"] = facts.foreign
        inputs["revenue_percentile"] = revenue_pct
        closed = facts.won + facts.lost
        if closed:
            win_rate = facts.won / closed
            inputs["win_rate"] = round(win_rate, 3)
            competitiveness = revenue_weight * revenue_pct + (1 - revenue_weight) * win_rate * 100
        else:
            competitiveness = revenue_pct
    willingness = None
    parts = []  # (input, score, weight)
    if _any_sorted(cohort_registrations):
        registrations_pct = percentile(facts.registrations, cohort_registrations)
        inputs["registrations"] = facts.registrations
        inputs["registrations_percentile"] = registrations_pct
        parts.append(("registrations", registrations_pct))
    if facts.visits:
        goal_rate = facts.visits_goal_met / facts.visits
        inputs["visits"] = facts.visits
        inputs["visits_goal_met_rate"] = round(goal_rate, 3)
        parts.append(("visits", goal_rate * 100))
    for name, score in sorted(facts.extra.items()):
        inputs[f"{name}_score"] = round(score, 1)
        parts.append((name, score))
    used = [(name, score, float(weights.get(name, 0))) for name, score in parts if weights.get(name, 0)]
    if used:
        willingness = sum(score * weight for _, score, weight in used) / sum(w for _, _, w in used)
        inputs["willingness"] = [{"input": n, "score": round(s, 1), "weight": w} for n, s, w in used]
    autonomy = None
    if facts.registrations:
        share = facts.self_sourced / facts.registrations
        inputs["self_sourced_share"] = round(share, 3)
        autonomy = share * 100
    return {"competitiveness": competitiveness, "willingness": willingness, "autonomy": autonomy}, inputs


def _any_sorted(sorted_values: list[float]) -> bool:
    """``any(sorted_values)`` of a sorted cohort, read at its ends: a value other than 0 makes the
    lowest or the highest other than 0. (``any`` walks every 0 first, for every partner: a channel
    without deal registrations spent 43 of its 70 s there at 100,000 partners.)"""
    return bool(sorted_values) and (sorted_values[0] != 0 or sorted_values[-1] != 0)


def assessed_score(rating: int | None) -> float | None:
    return None if rating is None else (int(rating) - 1) * 25.0


def blend(measured: float | None, assessed: float | None, weight: float) -> float | None:
    if measured is None:
        return assessed
    if assessed is None:
        return measured
    return (1 - weight) * measured + weight * assessed


def tier_key(strong: dict[str, bool]) -> str:
    """'SHS' = competitiveness Strong, willingness High, autonomy Strong; W/L for weak/low."""
    return (
        ("S" if strong["competitiveness"] else "W")
        + ("H" if strong["willingness"] else "L")
        + ("S" if strong["autonomy"] else "W")
    )


def decide_tier(facts, cohort_revenue, cohort_registrations, assessment: dict | None, programme):
    """The tier and its explanation: ``(tier, axes)`` where axes holds every score and input."""
    measured, inputs = measured_axes(
        facts, cohort_revenue, cohort_registrations, programme.revenue_weight, programme.willingness_weights
    )
    axes = {}
    for axis in AXES:
        rating = (assessment or {}).get(axis)
        assessed = assessed_score(rating)
        score = blend(measured[axis], assessed, programme.assessment_weight)
        threshold = float(programme.thresholds[axis])
        axes[axis] = {
            "score": None if score is None else round(score, 1),
            "measured": None if measured[axis] is None else round(measured[axis], 1),
            "assessed": assessed,
            "threshold": threshold,
            "strong": score is not None and score >= threshold,
        }
    key = tier_key({axis: axes[axis]["strong"] for axis in AXES})
    return programme.tier_table[key], {"axes": axes, "inputs": inputs, "rule": key}

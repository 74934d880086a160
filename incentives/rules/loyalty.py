"""The long-term rule kinds: loyalty to a tier, years of partnership and sustained growth.

Each reads what ``incentives.loyalty_facts`` loaded for every partner of a range at once (the tier
held at the end of each earlier period, the date the partnership began, the revenue of earlier
periods) and pays a fixed ``amount``, ``points`` or (sustained growth) a ``rate`` of the period's
revenue, with a line that says which periods or which anniversary earned it.

Each pays at most once per partner, rule and period: a period has one run, and a recompute
replaces its draft. A tier streak pays once per completed block of ``periods`` (a streak of 4
quarters under a 4-quarter rule pays at the 4th, the 8th … quarter, not at every quarter after).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..money import HUNDRED, fmt, pct
from .base import Draft, PartnerFacts, RunContext, all_sales, line_ngettext
from .base import line_gettext as _


def _reward(rule, words: str, details: dict, *, revenue=None) -> Draft:
    """The rule's reward for ``words``: points, a rate of the period's revenue, or an amount."""
    params = rule.params
    if params.get("points") not in (None, ""):
        earned = int(Decimal(params["points"]))
        words = _("%(points)s points: %(why)s") % {"points": earned, "why": words}
        return Draft(Decimal(0), words, {**details, "points": earned}, points=earned)
    if params.get("rate") not in (None, "") and revenue is not None:
        rate = Decimal(params["rate"])
        words = _("%(rate)s of %(volume)s: %(why)s") % {
            "rate": pct(rate),
            "volume": fmt(revenue.volume),
            "why": words,
        }
        return Draft(revenue.volume * rate / HUNDRED, words, details, sales=revenue)
    return Draft(Decimal(params["amount"]), words, details)


def at_or_above(tier: str, floor: str) -> bool:
    """Whether ``tier`` is ``floor`` or better (A is the best tier); no tier never is."""
    return bool(tier) and tier <= floor


def loyalty_tier(rule, facts: PartnerFacts, context: RunContext) -> list[Draft]:
    """A reward when the partner has held tier ``tier`` or above for ``periods`` consecutive
    periods ending with this one, once per completed block of ``periods``."""
    needed, floor = int(rule.params["periods"]), rule.params["tier"]
    streak = 0
    for _code, tier in facts.tier_history:  # newest first, this period first
        if not at_or_above(tier, floor):
            break
        streak += 1
    if streak < needed or streak % needed:
        return []
    held = list(reversed(facts.tier_history[:needed]))
    words = _("%(n)s consecutive periods at tier %(tier)s or above: %(held)s") % {
        "n": needed,
        "tier": floor,
        "held": ", ".join(f"{code} {tier}" for code, tier in held),
    }
    details = {"loyalty": "tier", "periods": [code for code, _tier in held], "streak": streak}
    return [_reward(rule, words, details)]


def anniversary(since: date, years: int) -> date:
    """``since`` plus ``years`` years (29 February falls on 28 February in other years)."""
    try:
        return since.replace(year=since.year + years)
    except ValueError:
        return since.replace(year=since.year + years, day=28)


def loyalty_years(rule, facts: PartnerFacts, context: RunContext) -> list[Draft]:
    """A reward in the period in which each listed anniversary of the partnership falls."""
    since = facts.partner_since
    if since is None:
        return []
    period = context.period
    drafts = []
    for years in sorted(int(y) for y in rule.params["years"]):
        day = anniversary(since, years)
        if period.start <= day <= period.end:
            words = line_ngettext(
                "%(years)s year of partnership (since %(since)s, anniversary %(day)s)",
                "%(years)s years of partnership (since %(since)s, anniversary %(day)s)",
                years,
            ) % {
                "years": years,
                "since": since.isoformat(),
                "day": day.isoformat(),
            }
            details = {"loyalty": "years", "years": years, "since": since.isoformat()}
            drafts.append(_reward(rule, words, details))
    return drafts


def sustained_growth(rule, facts: PartnerFacts, context: RunContext) -> list[Draft]:
    """A reward when each of the last ``periods`` periods (this one included) grew by ``growth``
    percent or more against the period before it (from no revenue, nothing counts as growth)."""
    needed, floor = int(rule.params["periods"]), Decimal(rule.params["growth"])
    sales = all_sales(facts)
    revenues = [sales.volume, *facts.earlier_revenue]  # newest first
    if len(revenues) <= needed:
        return []
    growths = []
    for index in range(needed):
        now, before = revenues[index], revenues[index + 1]
        if before <= 0:
            return []
        growth = (now - before) * HUNDRED / before
        if growth < floor:
            return []
        growths.append(growth)
    codes = [context.period.code]
    while len(codes) < needed:
        codes.append(_previous(context.period, len(codes)).code)
    parts = [f"{code} +{growth:.1f}%" for code, growth in reversed(list(zip(codes, growths, strict=True)))]
    words = _("%(n)s periods of growth of %(growth)s or more: %(parts)s") % {
        "n": needed,
        "growth": pct(floor),
        "parts": ", ".join(parts),
    }
    details = {
        "loyalty": "growth",
        "periods": codes[::-1],
        "growth": [str(round(g, 2)) for g in growths[::-1]],
    }
    return [_reward(rule, words, details, revenue=sales)]


def _previous(period, steps: int):
    for _step in range(steps):
        period = period.previous()
    return period

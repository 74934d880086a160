"""One function per rule kind: (rule, partner facts, context) -> list of drafts."""

from __future__ import annotations

from decimal import Decimal

from partners.selling.customers import normalise_customer

from ..money import HUNDRED, fmt, pct, plain
from .base import Draft, PartnerFacts, RunContext, all_sales, selection
from .base import line_gettext as _

ZERO = Decimal(0)


def commission(rule, facts: PartnerFacts, context: RunContext) -> list[Draft]:
    """Flat rate, or volume brackets (marginal or retroactive) on the period's net volume."""
    sales = selection(rule, facts)
    if not sales.count:
        return []
    total = sales.volume
    params = rule.params
    if "brackets" in params:
        amount, words = _brackets(total, params["brackets"], params.get("mode", "marginal"))
    elif params.get("rate_benefit"):
        rate = facts.benefits.get(params["rate_benefit"])
        if rate is None:  # the partner's tier gives no margin points: nothing to pay
            return []
        amount, words = (
            total * rate / HUNDRED,
            _("%(rate)s of %(volume)s (tier %(tier)s's margin points)")
            % {"rate": pct(rate), "volume": fmt(total), "tier": facts.tier},
        )
    else:
        rate = Decimal(params["rate"])
        amount, words = (
            total * rate / HUNDRED,
            _("%(rate)s of %(volume)s") % {"rate": pct(rate), "volume": fmt(total)},
        )
    multiplier = Decimal((params.get("tier_multipliers") or {}).get(facts.tier, "1"))
    if multiplier != 1:
        amount *= multiplier
        words += _(", × %(m)s for tier %(tier)s") % {"m": plain(multiplier), "tier": facts.tier}
    cap = params.get("cap")
    if cap is not None and amount > Decimal(cap):
        amount = Decimal(cap)
        words += _(", capped at %(cap)s") % {"cap": fmt(Decimal(cap))}
    return [Draft(amount, words, {"volume": str(total)}, sales=sales)]


def _brackets(total: Decimal, brackets: list[dict], mode: str):
    """Marginal: each bracket's rate on the part inside it. Retroactive: the reached
    bracket's rate on everything. A negative volume (returns) claws back at the first rate."""
    if total < 0:
        rate = Decimal(brackets[0]["rate"])
        return total * rate / HUNDRED, _("%(rate)s of %(volume)s (returns claw back)") % {
            "rate": pct(rate),
            "volume": fmt(total),
        }
    if mode == "retroactive":
        reached = brackets[0]
        for bracket in brackets:
            if total >= Decimal(bracket["from"]):
                reached = bracket
        rate = Decimal(reached["rate"])
        return total * rate / HUNDRED, _(
            "%(rate)s of %(volume)s (bracket %(low)s–%(high)s reached, on all of it)"
        ) % {
            "rate": pct(rate),
            "volume": fmt(total),
            "low": fmt(Decimal(reached["from"])),
            "high": fmt(Decimal(reached["to"])) if reached["to"] else "∞",
        }
    amount, parts = ZERO, []
    for bracket in brackets:
        low = Decimal(bracket["from"])
        high = Decimal(bracket["to"]) if bracket["to"] else None
        if total <= low:
            break
        inside = (min(total, high) if high is not None else total) - low
        rate = Decimal(bracket["rate"])
        amount += inside * rate / HUNDRED
        parts.append(
            _("%(rate)s of %(inside)s in bracket %(low)s–%(high)s")
            % {
                "rate": pct(rate),
                "inside": fmt(inside),
                "low": fmt(low),
                "high": fmt(high) if high is not None else "∞",
            }
        )
    return amount, "; ".join(parts)


def rebate(rule, facts: PartnerFacts, context: RunContext) -> list[Draft]:
    """Once the period's volume crosses the threshold, the rate on all of it, back to the first unit."""
    sales = selection(rule, facts)
    total = sales.volume
    threshold = Decimal(rule.params["threshold"])
    if not sales.count or total < threshold:
        return []
    rate = Decimal(rule.params["rate"])
    words = _("%(rate)s rebate on %(volume)s (threshold %(threshold)s crossed)") % {
        "rate": pct(rate),
        "volume": fmt(total),
        "threshold": fmt(threshold),
    }
    return [Draft(total * rate / HUNDRED, words, {"volume": str(total)}, sales=sales)]


def spif(rule, facts: PartnerFacts, context: RunContext) -> list[Draft]:
    """An amount per unit of one product sold inside the rule's window (returns count negative)."""
    product = rule.params["product"]
    sales = selection(rule, facts)  # the rule's product only
    units = sales.units
    if not sales.count or units == 0:
        return []
    per_unit = Decimal(rule.params["amount_per_unit"])
    words = _("%(units)s × %(per)s for %(product)s") % {
        "units": plain(units),
        "per": fmt(per_unit),
        "product": product,
    }
    return [Draft(units * per_unit, words, {"units": str(units)}, sales=sales)]


def bonus(rule, facts: PartnerFacts, context: RunContext) -> list[Draft]:
    params = rule.params
    amount = Decimal(params["amount"])
    kind = params["type"]
    card = facts.scorecard
    if kind == "score" and card and Decimal(str(card["score"])) >= Decimal(params["threshold"]):
        words = _("scorecard score %(score)s ≥ %(threshold)s") % {
            "score": card["score"],
            "threshold": params["threshold"],
        }
        return [Draft(amount, words, _paid_on(card, score=str(card["score"])))]
    if kind == "attainment" and card:
        attained = card["lines"].get(params.get("kpi", "revenue"))
        if attained is not None and Decimal(str(attained)) * HUNDRED >= Decimal(params["threshold"]):
            words = _("%(kpi)s attainment %(att)s%% ≥ %(threshold)s%%") % {
                "kpi": params.get("kpi", "revenue"),
                "att": f"{Decimal(str(attained)) * HUNDRED:.1f}",
                "threshold": params["threshold"],
            }
            details = _paid_on(card, kpi=params.get("kpi", "revenue"), attainment=str(attained))
            return [Draft(amount, words, details)]
    if kind == "first_sale" and facts.first_sale_in_period:
        return [Draft(amount, _("first sale"), {"sales": all_sales(facts).ids[:1]})]
    if kind == "certification" and facts.certified_in_period:
        return [Draft(amount, _("certified this period"), {"milestone": "certified"})]
    if kind == "strategic_deal":
        key = normalise_customer(params["customer"])
        won = [d for d in facts.won_deals if d["customer_key"] == key]
        if won:
            return [
                Draft(
                    amount,
                    _("won the strategic deal with %(c)s") % {"c": params["customer"]},
                    {"deals": [d["id"] for d in won]},
                )
            ]
    return []


def _paid_on(card: dict, **figures) -> dict:
    """What a scorecard bonus keeps of the card it paid on: its id and revision (the card keeps its
    id across recomputes; an earlier revision stays readable in its history) and the figures read."""
    return {"scorecard": card["id"], "revision": card.get("revision"), **figures}


def mdf_budget(
    params: dict, *, last_period_revenue: Decimal, tier: str, benefits: dict
) -> tuple[Decimal, str]:
    """A partner's MDF budget for a period under an MDF rule's ``params``, and its basis in words: a
    fixed ``budget``, or a share of last period's revenue (``budget_share``, or with
    ``budget_share_benefit`` the MDF share the partner's ``tier`` gives, from its ``benefits``).

    The run pays approved claims within it (``mdf``); requests and claims are decided against it
    (``incentives.mdf_budget``): one computation for both."""
    if "budget" in params:
        budget = Decimal(params["budget"])
        return budget, _("fixed budget %(b)s") % {"b": fmt(budget)}
    from_tier = bool(params.get("budget_share_benefit"))
    share = benefits.get("mdf_share", Decimal(0)) if from_tier else Decimal(params["budget_share"])
    basis = _("budget %(share)s of last period's %(rev)s") % {
        "share": pct(share),
        "rev": fmt(last_period_revenue),
    }
    if from_tier:
        basis += _(", tier %(tier)s's MDF share") % {"tier": tier or "—"}
    return last_period_revenue * share / HUNDRED, basis


def mdf_reads_revenue(params: dict) -> bool:
    """Whether an MDF budget is a share of last period's revenue (which must then be loaded)."""
    return "budget" not in params


def mdf(rule, facts: PartnerFacts, context: RunContext) -> list[Draft]:
    """This rule's approved claims paid against the period's budget, never above it (each claim is
    the rule's through its request, whichever version of the rule the request named)."""
    claims = [claim for claim in facts.approved_claims if claim["rule"] == rule.key]
    if not claims:
        return []
    budget, basis = mdf_budget(
        rule.params, last_period_revenue=facts.last_period_revenue, tier=facts.tier, benefits=facts.benefits
    )
    room = budget  # one run per period: the period's claims share the period's budget
    drafts = []
    for claim in claims:
        pay = min(Decimal(claim["amount"]), room)
        if pay <= 0:
            break
        room -= pay
        words = _("MDF claim #%(id)s: %(pay)s of %(asked)s (%(basis)s)") % {
            "id": claim["id"],
            "pay": fmt(pay),
            "asked": fmt(Decimal(claim["amount"])),
            "basis": basis,
        }
        source = {
            "claim": claim["id"],
            "request": claim["request"],
            "budget": str(budget),
            "period": context.period.code,
        }
        drafts.append(Draft(pay, words, source))
    return drafts


def points(rule, facts: PartnerFacts, context: RunContext) -> list[Draft]:
    """Points per whole step of net volume (non-monetary: amount 0, points in the ledger)."""
    sales = selection(rule, facts)
    total = sales.volume
    per_amount = Decimal(rule.params["per_amount"])
    earned = int(total // per_amount) * int(Decimal(rule.params["points"]))
    if not sales.count or earned == 0:
        return []
    words = _("%(points)s points: %(each)s per %(per)s of %(volume)s") % {
        "points": earned,
        "each": rule.params["points"],
        "per": fmt(per_amount),
        "volume": fmt(total),
    }
    return [Draft(Decimal(0), words, {"points": earned}, points=earned, sales=sales)]

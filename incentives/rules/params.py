"""Validating each kind's parameters; errors name the parameter (``params.rate``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partners.choices import Tier

from ..choices import RuleKind

LOYALTY_KINDS = (RuleKind.LOYALTY_TIER, RuleKind.LOYALTY_YEARS, RuleKind.SUSTAINED_GROWTH)
BONUS_TYPES = ("score", "attainment", "first_sale", "certification", "strategic_deal")


def _decimal(errors, params, key, *, required=True, minimum=Decimal(0), maximum=None, prefix="params"):
    raw = params.get(key)
    if raw in (None, ""):
        if required:
            errors[f"{prefix}.{key}"] = [_("Required.")]
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        errors[f"{prefix}.{key}"] = [_('Use a number as a string, like "5.0".')]
        return None
    if not value.is_finite() or value < minimum or (maximum is not None and value > maximum):
        errors[f"{prefix}.{key}"] = [_("Out of range.")]
        return None
    return str(value)


def clean_params(kind: str, params) -> dict:
    """The kind's parameters, normalised; ValidationError naming each bad one."""
    if kind not in RuleKind.values:
        raise ValidationError({"kind": [_("Unknown kind.")]})
    if not isinstance(params, dict):
        raise ValidationError({"params": [_("Give the parameters as an object.")]})
    errors, clean = {}, {}
    if kind == RuleKind.COMMISSION:
        _commission(errors, params, clean)
    elif kind == RuleKind.REBATE:
        clean["threshold"] = _decimal(errors, params, "threshold")
        clean["rate"] = _decimal(errors, params, "rate", maximum=Decimal(100))
    elif kind == RuleKind.SPIF:
        product = str(params.get("product") or "").strip()
        if not product:
            errors["params.product"] = [_("Name the product.")]
        clean["product"] = product
        clean["amount_per_unit"] = _decimal(errors, params, "amount_per_unit")
    elif kind == RuleKind.BONUS:
        _bonus(errors, params, clean)
    elif kind == RuleKind.MDF:
        share = params.get("budget_share") not in (None, "") or bool(params.get("budget_share_benefit"))
        if params.get("budget") not in (None, "") and share:
            errors["params.budget"] = [
                _("Give a fixed budget or a share of last period's revenue, not both.")
            ]
        elif params.get("budget") not in (None, ""):
            clean["budget"] = _decimal(errors, params, "budget")
        elif params.get("budget_share_benefit"):  # each tier's MDF share (tier benefits)
            clean["budget_share_benefit"] = True
        else:
            clean["budget_share"] = _decimal(errors, params, "budget_share", maximum=Decimal(100))
    elif kind == RuleKind.POINTS:
        clean["per_amount"] = _decimal(errors, params, "per_amount", minimum=Decimal("0.01"))
        clean["points"] = _decimal(errors, params, "points")
    elif kind in LOYALTY_KINDS:
        _loyalty(kind, errors, params, clean)
    if errors:
        raise ValidationError(errors)
    return {k: v for k, v in clean.items() if v is not None}


def _commission(errors, params, clean):
    multipliers = params.get("tier_multipliers") or {}
    if not isinstance(multipliers, dict) or any(t not in Tier.values for t in multipliers):
        errors["params.tier_multipliers"] = [_("Map tiers A–D to multipliers.")]
    else:
        clean["tier_multipliers"] = {t: _decimal(errors, multipliers, t) for t in multipliers}
    clean["cap"] = _decimal(errors, params, "cap", required=False)
    if "brackets" in params:
        brackets = params.get("brackets")
        if not isinstance(brackets, list) or not brackets:
            errors["params.brackets"] = [_("Give at least one bracket {from, to, rate}.")]
            return
        cleaned, previous_to = [], Decimal(0)
        for index, bracket in enumerate(brackets, start=1):
            if not isinstance(bracket, dict):
                errors[f"params.brackets.{index}"] = [_("A bracket is {from, to, rate}.")]
                continue
            where = f"params.brackets.{index}"
            low = _decimal(errors, bracket, "from", prefix=where)
            high = _decimal(errors, bracket, "to", required=index < len(brackets), prefix=where)
            rate = _decimal(errors, bracket, "rate", maximum=Decimal(100), prefix=where)
            if low is not None and Decimal(low) != previous_to:
                errors[f"params.brackets.{index}"] = [
                    _("Brackets must follow each other from 0 without gaps.")
                ]
            if high is not None and low is not None and Decimal(high) <= Decimal(low):
                errors[f"params.brackets.{index}"] = [_("“to” must be above “from”.")]
            previous_to = Decimal(high) if high is not None else previous_to
            cleaned.append({"from": low, "to": high, "rate": rate})
        mode = params.get("mode", "marginal")
        if mode not in ("marginal", "retroactive"):
            errors["params.mode"] = [_("Use marginal or retroactive.")]
        clean["brackets"], clean["mode"] = cleaned, mode
    elif params.get("rate_benefit"):  # the partner's tier's margin points are the rate (tier benefits)
        if params["rate_benefit"] != "margin_points":
            errors["params.rate_benefit"] = [
                _("A commission reads the tier's margin points (margin_points).")
            ]
        clean["rate_benefit"] = "margin_points"
    else:
        clean["rate"] = _decimal(errors, params, "rate", maximum=Decimal(100))


def _bonus(errors, params, clean):
    kind = params.get("type")
    if kind not in BONUS_TYPES:
        errors["params.type"] = [_("Use one of: %(t)s.") % {"t": ", ".join(BONUS_TYPES)}]
        return
    clean["type"] = kind
    clean["amount"] = _decimal(errors, params, "amount")
    if kind in ("score", "attainment"):
        clean["threshold"] = _decimal(errors, params, "threshold")
    if kind == "attainment":
        clean["kpi"] = str(params.get("kpi") or "revenue")
    if kind == "strategic_deal":
        customer = str(params.get("customer") or "").strip()
        if not customer:
            errors["params.customer"] = [_("Name the strategic customer.")]
        clean["customer"] = customer


def _count(errors, params, key, *, minimum=1, maximum=40):
    raw = params.get(key)
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        errors[f"params.{key}"] = [_("Give a whole number.")]
        return None
    if not minimum <= value <= maximum:
        errors[f"params.{key}"] = [_("Out of range.")]
        return None
    return value


def _loyalty(kind, errors, params, clean):
    """A loyalty rule: what earns it (tier and periods, years, or growth over periods) and its
    reward: an ``amount`` or ``points`` (sustained growth also a ``rate`` of the period's revenue)."""
    if kind == RuleKind.LOYALTY_TIER:
        if params.get("tier") not in Tier.values:
            errors["params.tier"] = [_("Name a tier, A to D.")]
        clean["tier"] = params.get("tier")
        clean["periods"] = _count(errors, params, "periods", minimum=2)
    elif kind == RuleKind.LOYALTY_YEARS:
        years = params.get("years")
        if isinstance(years, str):
            years = [part.strip() for part in years.split(",") if part.strip()]
        try:
            years = sorted({int(str(y)) for y in years}) if isinstance(years, list) else []
        except ValueError:
            years = []
        if not years or not all(1 <= y <= 100 for y in years):
            errors["params.years"] = [_("List the anniversaries in years, like 1, 3, 5.")]
        clean["years"] = years
    else:
        clean["periods"] = _count(errors, params, "periods")
        clean["growth"] = _decimal(errors, params, "growth")
    rewards = [key for key in ("amount", "points", "rate") if params.get(key) not in (None, "")]
    if kind != RuleKind.SUSTAINED_GROWTH and "rate" in rewards:
        errors["params.rate"] = [_("Reward this rule with an amount or points.")]
    elif len(rewards) != 1:
        errors["params.amount"] = [_("Give one reward: an amount, points or (sustained growth) a rate.")]
    elif rewards[0] == "rate":
        clean["rate"] = _decimal(errors, params, "rate", maximum=Decimal(100))
    elif rewards[0] == "points":
        clean["points"] = _decimal(errors, params, "points", minimum=Decimal(1))
    else:
        clean["amount"] = _decimal(errors, params, "amount")

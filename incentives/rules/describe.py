"""A rule's parameters in words, for the people who read rules: "5% of sales, × 1.2 for tier A".

The parameters are stored as validated JSON (``params.clean_params``); this is their reading,
in the reader's language, used by the rule list, a rule's versions and the partner's view of
the rules it is paid by.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from ..choices import RuleKind
from ..money import fmt, pct


def describe(kind: str, params: dict, currency: str = "") -> str:
    """The parameters of a rule of ``kind`` as one sentence (never raises on odd data)."""
    try:
        words = _DESCRIBE[kind](params, currency)
    except (KeyError, ArithmeticError, TypeError, ValueError):
        return _("Parameters not readable: %(p)s") % {"p": params}
    return words


def _number(value) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def _money(value, currency: str) -> str:
    return f"{fmt(Decimal(str(value)))} {currency}".strip()


def _commission(params, currency):
    if "brackets" in params:
        brackets = []
        for bracket in params["brackets"]:
            if bracket.get("to") in (None, ""):
                brackets.append(
                    _("%(rate)s above %(low)s")
                    % {"rate": pct(Decimal(bracket["rate"])), "low": _money(bracket["from"], currency)}
                )
            else:
                brackets.append(
                    _("%(rate)s from %(low)s to %(high)s")
                    % {
                        "rate": pct(Decimal(bracket["rate"])),
                        "low": _money(bracket["from"], currency),
                        "high": _money(bracket["to"], currency),
                    }
                )
        how = (
            _("each bracket on its own part of the volume")
            if params.get("mode", "marginal") == "marginal"
            else _("the reached bracket's rate on the whole volume")
        )
        words = _("Commission by volume brackets: %(brackets)s (%(how)s)") % {
            "brackets": "; ".join(brackets),
            "how": how,
        }
    elif params.get("rate_benefit"):
        words = _("Each tier's margin points of sales (tier benefits)")
    else:
        words = _("%(rate)s of sales") % {"rate": pct(Decimal(params["rate"]))}
    multipliers = params.get("tier_multipliers") or {}
    if multipliers:
        words += ", " + ", ".join(
            _("× %(m)s for tier %(t)s") % {"m": _number(m), "t": t} for t, m in sorted(multipliers.items())
        )
    if params.get("cap") not in (None, ""):
        words += ", " + _("at most %(cap)s") % {"cap": _money(params["cap"], currency)}
    return words


def _rebate(params, currency):
    return _("%(rate)s of the whole volume once it passes %(threshold)s") % {
        "rate": pct(Decimal(params["rate"])),
        "threshold": _money(params["threshold"], currency),
    }


def _spif(params, currency):
    return _("%(amount)s for each unit of %(product)s sold") % {
        "amount": _money(params["amount_per_unit"], currency),
        "product": params["product"],
    }


def _bonus(params, currency):
    amount = _money(params["amount"], currency)
    kind = params["type"]
    if kind == "score":
        return _("%(amount)s for a scorecard score of %(t)s or more") % {
            "amount": amount,
            "t": params["threshold"],
        }
    if kind == "attainment":
        return _("%(amount)s for %(t)s%% or more of the %(kpi)s target") % {
            "amount": amount,
            "t": params["threshold"],
            "kpi": params.get("kpi", "revenue"),
        }
    if kind == "first_sale":
        return _("%(amount)s for the partner's first sale") % {"amount": amount}
    if kind == "certification":
        return _("%(amount)s when the partner is certified") % {"amount": amount}
    return _("%(amount)s for winning the strategic deal with %(customer)s") % {
        "amount": amount,
        "customer": params["customer"],
    }


def _mdf(params, currency):
    if "budget" in params:
        return _("Market development funds: a budget of %(b)s per period") % {
            "b": _money(params["budget"], currency)
        }
    if params.get("budget_share_benefit"):
        return _("Market development funds: each tier's MDF share of last period's revenue (tier benefits)")
    return _("Market development funds: a budget of %(share)s of last period's revenue") % {
        "share": pct(Decimal(params["budget_share"]))
    }


def _points(params, currency):
    return _("%(points)s points for every %(per)s sold") % {
        "points": _number(params["points"]),
        "per": _money(params["per_amount"], currency),
    }


def _reward(params, currency):
    if params.get("points") not in (None, ""):
        return _("%(points)s points") % {"points": _number(params["points"])}
    if params.get("rate") not in (None, ""):
        return _("%(rate)s of the period's revenue") % {"rate": pct(Decimal(params["rate"]))}
    return _money(params["amount"], currency)


def _loyalty_tier(params, currency):
    return _("%(reward)s for each %(n)s consecutive periods at tier %(tier)s or above") % {
        "reward": _reward(params, currency),
        "n": params["periods"],
        "tier": params["tier"],
    }


def _loyalty_years(params, currency):
    return _("%(reward)s at each anniversary of the partnership: %(years)s years") % {
        "reward": _reward(params, currency),
        "years": ", ".join(str(y) for y in params["years"]),
    }


def _sustained_growth(params, currency):
    return _("%(reward)s when each of the last %(n)s periods grew by %(growth)s or more") % {
        "reward": _reward(params, currency),
        "n": params["periods"],
        "growth": pct(Decimal(params["growth"])),
    }


_DESCRIBE = {
    RuleKind.COMMISSION: _commission,
    RuleKind.REBATE: _rebate,
    RuleKind.SPIF: _spif,
    RuleKind.BONUS: _bonus,
    RuleKind.MDF: _mdf,
    RuleKind.POINTS: _points,
    RuleKind.LOYALTY_TIER: _loyalty_tier,
    RuleKind.LOYALTY_YEARS: _loyalty_years,
    RuleKind.SUSTAINED_GROWTH: _sustained_growth,
}

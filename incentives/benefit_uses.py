"""What incentive rules do with the tiers' benefits (``partners.tiering.benefit_keeping``).

A commission whose rate is ``rate_benefit: margin_points`` applies each of its tiers' margin points
(a tier multiplier other than 1 gives the tier something else); an MDF rule with
``budget_share_benefit`` applies each tier's MDF share, one with a ``budget_share`` of its own gives
its tiers that share, one with a fixed ``budget`` gives a budget where a share may be promised.
Other rules leave the benefits alone.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from partners.choices import BenefitKind, Tier
from partners.tiering.benefit_keeping import RuleUse

from .choices import RuleKind
from .models import IncentiveRule
from .money import fmt, pct, plain


def label_of(rule) -> str:
    """The rule in words, as messages name it: by number and version once saved."""
    if rule.pk is None:
        return _("this rule (“%(name)s”)") % {"name": rule.name}
    return _("incentive rule #%(id)s “%(name)s” (version %(v)s)") % {
        "id": rule.pk,
        "name": rule.name,
        "v": rule.version,
    }


def uses_of(rule, *, currency: str = "", label: str | None = None) -> list[RuleUse]:
    """What ``rule`` (saved or not) does with each of its tiers' benefits; no query."""
    params = rule.params or {}
    common = {
        "rule": rule.pk,
        "name": rule.name,
        "version": rule.version,
        "type": "incentive_rule",
        "label": label or label_of(rule),
    }
    tiers = rule.tiers or Tier.values
    uses = []
    if rule.kind == RuleKind.COMMISSION and params.get("rate_benefit") == BenefitKind.MARGIN_POINTS:
        multipliers = params.get("tier_multipliers") or {}
        for tier in tiers:
            multiplier = Decimal(str(multipliers.get(tier, "1")))
            if multiplier == 1:
                uses.append(RuleUse(tier=tier, kind=BenefitKind.MARGIN_POINTS, **common))
                continue
            uses.append(
                RuleUse(
                    tier=tier,
                    kind=BenefitKind.MARGIN_POINTS,
                    **common,
                    gives=_("its margin points × %(m)s as commission") % {"m": plain(multiplier)},
                    field=f"params.tier_multipliers.{tier}",
                    remedy=_("drop tier %(t)s's multiplier") % {"t": tier},
                )
            )
    elif rule.kind == RuleKind.MDF:
        for tier in tiers:
            if params.get("budget_share_benefit"):
                uses.append(RuleUse(tier=tier, kind=BenefitKind.MDF_SHARE, **common))
            elif params.get("budget") not in (None, ""):
                uses.append(
                    RuleUse(
                        tier=tier,
                        kind=BenefitKind.MDF_SHARE,
                        **common,
                        gives=_("a fixed MDF budget of %(b)s per period")
                        % {"b": f"{fmt(Decimal(str(params['budget'])))} {currency}".strip()},
                        field="params.budget",
                        remedy=_("let the rule read each tier's MDF share (tier benefits)"),
                    )
                )
            elif params.get("budget_share") not in (None, ""):
                share = Decimal(str(params["budget_share"]))
                uses.append(
                    RuleUse(
                        tier=tier,
                        kind=BenefitKind.MDF_SHARE,
                        **common,
                        gives=_("an MDF budget of %(s)s of last period's revenue") % {"s": pct(share)},
                        value=share,
                        field="params.budget_share",
                        remedy=_("let the rule read each tier's MDF share (tier benefits)"),
                    )
                )
    return uses


def in_force(rule, today=None) -> bool:
    """Whether the rule pays now or will: active, and its window not over."""
    today = today or timezone.localdate()
    return bool(rule.active) and (rule.valid_to is None or rule.valid_to >= today)


def current_uses(tenant) -> list[RuleUse]:
    """The uses of the current versions of the active rules whose window is not over: one query."""
    rules = (
        IncentiveRule.objects.for_tenant(tenant)
        .filter(is_current=True, active=True, kind__in=[RuleKind.COMMISSION, RuleKind.MDF])
        .exclude(valid_to__lt=timezone.localdate())
        .order_by("kind", "name", "pk")
    )
    currency = getattr(tenant, "currency", "")
    return [use for rule in rules for use in uses_of(rule, currency=currency)]

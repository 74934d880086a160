"""What lead rules do with the tiers' lead priority (``partners.tiering.benefit_keeping``): a rule without
a weight of its own for a tier reads the tier's lead priority (``LeadRule.weights``); one with a
weight gives the tier that weight, which keeps the benefit only when it is the same."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from partners.choices import BenefitKind, Tier
from partners.tiering.benefit_keeping import RuleUse

from .models import LeadRule


def label_of(rule) -> str:
    if rule.pk is None:
        return _("this lead rule (“%(name)s”)") % {"name": rule.name}
    return _("lead rule #%(id)s “%(name)s”") % {"id": rule.pk, "name": rule.name}


def uses_of(rule) -> list[RuleUse]:
    """What ``rule`` (saved or not) does with each tier's lead priority; no query."""
    common = {
        "rule": rule.pk,
        "name": rule.name,
        "version": None,
        "type": "lead_rule",
        "label": label_of(rule),
    }
    own = rule.tier_weights or {}
    uses = []
    for tier in Tier.values:
        if own.get(tier) is None:
            uses.append(RuleUse(tier=tier, kind=BenefitKind.LEAD_PRIORITY, **common))
            continue
        uses.append(
            RuleUse(
                tier=tier,
                kind=BenefitKind.LEAD_PRIORITY,
                **common,
                gives=_("a lead weight of %(w)s") % {"w": own[tier]},
                value=Decimal(own[tier]),
                field="tier_weights",
                remedy=_("leave tier %(t)s's weight out so the rule reads the tier's lead priority")
                % {"t": tier},
            )
        )
    return uses


def current_uses(tenant) -> list[RuleUse]:
    """The active rules' uses: one query."""
    rules = LeadRule.objects.for_tenant(tenant).filter(active=True).order_by("position", "id")
    return [use for rule in rules for use in uses_of(rule)]

"""What follows an MDF claim, for the effectiveness report: the deals its partner registered in the weeks
after, and counts that apps above incentives plug in (``mdf_followups``).

An app declares ``mdf_followups = [FollowUp("leads", count)]`` in its plugs module (``prm.plugs``);
``count(tenant, claims, weeks)`` takes a queryset of ``MdfClaim`` and a ``timedelta`` and answers,
in one query, ``{rule key: how many}``: what the claiming partners registered within ``weeks`` after
each claim, per MDF rule (the claim's request's ``rule__key``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from partners.choices import DealStatus

from .choices import ClaimStatus
from .models import MdfClaim

#: how many weeks after a claim its partner's deals and leads count for the MDF programme
WEEKS_AFTER = 8
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FollowUp:
    #: the report's field it fills (``leads``)
    name: str
    count: Callable


_followups: dict[str, FollowUp] = {}


def register_followup(followup: FollowUp) -> None:
    _followups[followup.name] = followup


def followup_counts(tenant, claims, weeks) -> dict[str, dict]:
    """Per follow-up plugged in, its counts per rule key."""
    return {name: followup.count(tenant, claims, weeks) for name, followup in _followups.items()}


def mdf_figures(tenant, period, effects) -> None:
    """Set on ``effects`` (the effectiveness report's MDF rules, ``RuleEffect``) their claimed activities
    of ``period``, and the deals and leads after the claims (three queries and one per follow-up)."""
    if not effects:
        return
    by_key = {effect.rule_key: effect for effect in effects}
    for effect in effects:
        effect.activities, effect.claimed, effect.deals, effect.won_deals = 0, ZERO, 0, 0
        effect.leads = 0
    claims = (
        MdfClaim.objects.for_tenant(tenant)
        .filter(request__period=period.code, request__rule__key__in=list(by_key))
        .exclude(status=ClaimStatus.REJECTED)
    )
    for row in claims.values("request__rule__key").annotate(n=Count("id"), total=Sum("amount")).order_by():
        effect = by_key[row["request__rule__key"]]
        effect.activities, effect.claimed = row["n"], row["total"] or ZERO
    after = Q(
        request__partner__deals__registered_at__gte=F("created_at"),
        request__partner__deals__registered_at__lt=F("created_at") + timedelta(weeks=WEEKS_AFTER),
    )
    deals = claims.values("request__rule__key").annotate(
        deals=Count("request__partner__deals", filter=after, distinct=True),
        won=Count(
            "request__partner__deals",
            filter=after & Q(request__partner__deals__status=DealStatus.WON),
            distinct=True,
        ),
    )
    for row in deals.order_by():
        effect = by_key[row["request__rule__key"]]
        effect.deals, effect.won_deals = row["deals"], row["won"]
    for name, counts in followup_counts(tenant, claims, timedelta(weeks=WEEKS_AFTER)).items():
        for key, count in counts.items():
            if key in by_key:
                setattr(by_key[key], name, count)

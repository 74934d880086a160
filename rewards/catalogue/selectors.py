"""Reads of the catalogue: what a partner may redeem (its own ones first), the redemptions."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from rewards.preferences.selectors import preferred_kinds

from .choices import RedemptionStatus
from .models import Redemption, RewardItem


def item_list(*, tenant):
    """Every item of the catalogue, active or not (the managers' list)."""
    return RewardItem.objects.for_tenant(tenant)


def redemption_list(*, tenant):
    return Redemption.objects.for_tenant(tenant).select_related(
        "partner", "item", "requested_by", "decided_by"
    )


def redemption_queue(*, tenant):
    """Redemptions that wait for a decision, the oldest first."""
    return (
        redemption_list(tenant=tenant).filter(status=RedemptionStatus.REQUESTED).order_by("created_at", "pk")
    )


def refusal_for(item: RewardItem, partner, *, today=None, preferences: list[str] | None = None) -> str:
    """Why ``partner`` cannot redeem ``item`` now ("" when it can, stock and points aside)."""
    today = today or timezone.localdate()
    if not item.active:
        return _("This reward is no longer offered.")
    if item.available_from and today < item.available_from:
        return _("This reward is offered from %(d)s.") % {"d": item.available_from.isoformat()}
    if item.available_until and today > item.available_until:
        return _("This reward was offered until %(d)s.") % {"d": item.available_until.isoformat()}
    if item.tiers and partner.tier not in item.tiers:
        return _("This reward is for tiers %(tiers)s.") % {"tiers": ", ".join(item.tiers)}
    if item.preferences_only and item.for_preferences:
        preferences = preferred_kinds(partner) if preferences is None else preferences
        if not set(preferences) & set(item.for_preferences):
            return _("This reward is offered to partners with other preferences.")
    return ""


def is_for(item: RewardItem, preferences: list[str]) -> bool:
    """Whether the item targets one of the partner's preferred kinds ("For you")."""
    return bool(item.for_preferences and set(item.for_preferences) & set(preferences))


def offer_for(*, tenant, partner, today=None) -> list[RewardItem]:
    """What the partner may redeem now (stock and points aside), those for its preferences first
    (marked ``item.for_you``), then by price. Each item also carries ``sold_out``."""
    preferences = preferred_kinds(partner)
    offered = []
    for item in item_list(tenant=tenant).filter(active=True):
        if refusal_for(item, partner, today=today, preferences=preferences):
            continue
        item.for_you = is_for(item, preferences)
        item.sold_out = item.stock is not None and item.stock <= 0
        offered.append(item)
    offered.sort(key=lambda i: (not i.for_you, i.points, i.name))
    return offered

"""Reads of the reward preferences: what other apps (catalogue, contests) ask."""

from __future__ import annotations

from .choices import RewardKind
from .models import RewardPreference


def preferred_kinds(partner) -> list[str]:
    """The partner's preferred kinds of reward (``RewardKind`` values), most preferred first;
    empty when its admin has stated none."""
    kinds = (
        RewardPreference.objects.for_tenant(partner.tenant_id)
        .filter(partner_id=partner.pk)
        .values_list("kinds", flat=True)
        .first()
    )
    return [kind for kind in kinds or [] if kind in RewardKind.values]


def preferences_by_partner(tenant, partner_ids) -> dict[int, list[str]]:
    """``{partner_id: kinds}`` for the partners that stated preferences, in one query."""
    rows = RewardPreference.objects.for_tenant(tenant).filter(partner_id__in=list(partner_ids))
    return {row.partner_id: [k for k in row.kinds if k in RewardKind.values] for row in rows}


def preference_of(partner) -> RewardPreference | None:
    """The partner's preference row, or None while unstated."""
    return RewardPreference.objects.for_tenant(partner.tenant_id).filter(partner_id=partner.pk).first()

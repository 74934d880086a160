"""Demo reward preferences: the demo partner user's company prefers points, then training.

Idempotent: a partner that stated its preferences keeps them.
"""

from __future__ import annotations

from partners.models import PartnerUser

from .models import RewardPreference


def seed(tenant) -> None:
    link = (
        PartnerUser.objects.for_tenant(tenant)
        .filter(membership__user__username=f"{tenant.slug}-partner")
        .select_related("membership__user")
        .first()
    )
    if (
        link is None
        or RewardPreference.objects.for_tenant(tenant).filter(partner_id=link.partner_id).exists()
    ):
        return
    RewardPreference.objects.for_tenant(tenant).create(
        tenant=tenant,
        partner_id=link.partner_id,
        kinds=["points", "training"],
        changed_by=link.membership.user,
    )

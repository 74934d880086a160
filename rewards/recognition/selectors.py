"""Reads of awards: the lists, and what the partner page, *My programme* and the finder show."""

from __future__ import annotations

from .models import Award, AwardCategory


def award_list(*, tenant):
    """Every award of the tenant, newest first, with what a row shows."""
    return Award.objects.for_tenant(tenant).select_related(
        "category", "partner", "person__membership__user", "granted_by", "revoked_by"
    )


def category_list(*, tenant, active_only: bool = False):
    categories = AwardCategory.objects.for_tenant(tenant)
    return categories.filter(active=True) if active_only else categories


def standing_awards(*, tenant, partner_ids=None):
    """Awards not revoked, newest first (of ``partner_ids`` when given)."""
    awards = award_list(tenant=tenant).filter(revoked_at__isnull=True)
    if partner_ids is not None:
        awards = awards.filter(partner_id__in=list(partner_ids))
    return awards

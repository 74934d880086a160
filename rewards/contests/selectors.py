"""Reads of contests: staff see every contest; a partner user sees the started contests it takes part in.

A contest a partner is not eligible for (another tier, region or operating model, or one meant only
for other preferences) or that has not started yet is absent from its list and 404 on its own.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from partners.choices import INACTIVE
from partners.models import Partner
from rewards.preferences.selectors import preferred_kinds

from .models import Contest, ContestAward


def contest_list(*, tenant):
    return Contest.objects.for_tenant(tenant).select_related("kpi").prefetch_related("prizes")


def _any_of(field: str, value: str) -> Q:
    """``field`` (a JSON list) is empty or holds ``value``."""
    return Q(**{field: []}) | Q(**{f"{field}__contains": [value]})


def contests_for_partner(*, tenant, partner_id: int, today=None):
    """The contests ``partner_id`` takes part in that have started, in one query."""
    today = today or timezone.localdate()
    partner = Partner.objects.for_tenant(tenant).filter(pk=partner_id).first()
    if partner is None or partner.stage in INACTIVE:
        return contest_list(tenant=tenant).none()
    preferred = preferred_kinds(partner)
    by_preference = Q(preferred_only=False) | Q(for_preferences=[])
    for kind in preferred:
        by_preference |= Q(for_preferences__contains=[kind])
    return contest_list(tenant=tenant).filter(
        _any_of("tiers", partner.tier),
        _any_of("regions", partner.region),
        _any_of("operating_models", partner.operating_model),
        by_preference,
        starts_on__lte=today,
    )


def preferences_of(*, tenant, partner_id: int) -> list[str]:
    """The kinds of reward the partner prefers (empty when unstated)."""
    return preferred_kinds(Partner(pk=partner_id, tenant_id=getattr(tenant, "pk", tenant)))


def visible_contests(*, tenant, access):
    """Every contest for staff; for a partner user, those it takes part in (``contests_for_partner``)."""
    if access.is_partner:
        return contests_for_partner(tenant=tenant, partner_id=access.partner_id)
    return contest_list(tenant=tenant)


def awards_of(*, tenant, contest):
    return ContestAward.objects.for_tenant(tenant).filter(contest=contest).select_related("prize", "partner")


def for_you_first(contests: list, preferred: list[str]) -> list:
    """Contests aimed at one of ``preferred`` first (marked ``for_you``), the rest in their order."""
    for contest in contests:
        contest.for_you = bool(set(preferred) & set(contest.for_preferences or []))
    return sorted(contests, key=lambda c: not c.for_you)

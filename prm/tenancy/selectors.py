"""Reads of tenants and memberships."""

from django.contrib.auth import get_user_model

from .capabilities import roles_with
from .context import user_context
from .models import Membership


def memberships_of(user) -> list:
    """The user's active memberships with their tenants, for the switcher and /tenants/.

    The one read of memberships across tenants: it runs as that user, whom
    the database admits to their own memberships only.
    """
    if not user.is_authenticated:
        return []
    with user_context(user.pk):
        return list(
            Membership.objects.filter(user=user, is_active=True)
            .select_related("tenant")
            .order_by("tenant__name")
        )


def membership_in(user, slug: str):
    """The user's active membership of the tenant ``slug``, with the tenant, or None: one query,
    run as that user (row-level security admits their own memberships before a tenant is chosen),
    in no order (``Membership``'s default order would join the users and tenants to sort one row)."""
    with user_context(user.pk):
        return (
            Membership.objects.filter(user=user, tenant__slug=slug, is_active=True)
            .select_related("tenant")
            .order_by()
            .first()
        )


def tenant_members(*, tenant, role: str = "", q: str = ""):
    """The tenant's members with their users, by username."""
    queryset = Membership.objects.filter(tenant=tenant).select_related("user")
    if role:
        queryset = queryset.filter(role=role)
    if q:
        queryset = queryset.filter(user__username__icontains=q) | queryset.filter(user__email__icontains=q)
    return queryset.order_by("user__username")


def users_who_can(*, tenant, capability):
    """The tenant's active members whose role holds ``capability``, by username: whom a form may
    offer where that capability is needed (a partner's owner, for instance)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__tenant=tenant,
            memberships__is_active=True,
            memberships__role__in=roles_with(capability),
        )
        .distinct()
        .order_by("username")
    )

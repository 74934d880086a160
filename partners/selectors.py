"""Reads of partners."""

from .models import Partner


def partner_list(*, tenant):
    """The tenant's partners by name."""
    return Partner.objects.for_tenant(tenant)

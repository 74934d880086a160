"""Who may enter which tenant: the one check shared by portal and API.

``tenant_access_for(user, slug)`` answers the same 404 for a tenant that does
not exist and for one the user does not belong to, so slugs cannot be probed.
For partner users it also finds their partner through the partner directory
(``settings.PRM_PARTNER_DIRECTORY``), so the core never imports partners/.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .choices import Role
from .models import Membership, Tenant
from .selectors import membership_in


@dataclass(frozen=True)
class TenantAccess:
    tenant: Tenant
    membership: Membership
    partner_id: int | None

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def is_partner(self) -> bool:
        return self.membership.role == Role.PARTNER


@cache
def partner_directory():
    """The domain's answer to 'which partner is this partner user of?'."""
    return import_string(settings.PRM_PARTNER_DIRECTORY)()


def tenant_access_for(user, slug: str) -> TenantAccess:
    """The user's access to the tenant ``slug``, or Http404."""
    if not user.is_authenticated:
        raise Http404(_("No such tenant."))
    membership = membership_in(user, slug)
    if membership is None:
        raise Http404(_("No such tenant."))
    partner_id = None
    if membership.role == Role.PARTNER:
        partner_id = partner_directory().partner_id_for(membership)
        if partner_id is None:
            # A partner user whose partner link is gone sees nothing at all.
            raise Http404(_("No such tenant."))
    return TenantAccess(tenant=membership.tenant, membership=membership, partner_id=partner_id)


#: ``partner_scope`` of rows every partner of the tenant may read (the course catalogue, templates).
SHARED_WITH_PARTNERS = "__shared__"


def restrict_to_access(queryset, access: TenantAccess, partner_scope: str | None):
    """Restrict rows to the tenant and, for a partner user, to their partner.

    ``partner_scope`` is the lookup from the rows to the partner; a view
    without one is not for partner users, and they get 404 from it. Rows
    that belong to no partner but that every partner reads (a catalogue)
    say so with ``SHARED_WITH_PARTNERS``.
    """
    queryset = queryset.filter(tenant=access.tenant)
    if access.is_partner and partner_scope == SHARED_WITH_PARTNERS:
        return queryset
    if access.is_partner:
        if partner_scope is None:
            raise Http404
        queryset = queryset.filter(**{partner_scope: access.partner_id})
    return queryset

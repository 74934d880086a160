"""The tenant's two-factor policy: whether its staff must sign in with a second factor.

Kept in the tenant's programme settings under this app's own key (``twofactor``), read only
through this module. Every staff role (admin, channel manager, regional lead, finance) is bound by
it; partner users may set two-factor sign-in up but are never made to.
"""

from __future__ import annotations

from prm.programme import stored_section
from prm.tenancy.choices import STAFF_ROLES
from prm.tenancy.selectors import memberships_of

KEY = "twofactor"


def staff_must_use_two_factor(tenant) -> bool:
    """Whether ``tenant`` requires two-factor sign-in of every staff member."""
    return bool(stored_section(tenant, KEY).get("required_for_staff", False))


def binds(membership) -> bool:
    """Whether the policy of the membership's tenant applies to this member (staff, policy on)."""
    return membership.role in STAFF_ROLES and staff_must_use_two_factor(membership.tenant)


def binding_memberships(user) -> list:
    """The user's memberships whose tenant requires two-factor sign-in of them."""
    return [membership for membership in memberships_of(user) if binds(membership)]

"""What two-factor sign-in plugs in (see ``prm.plugs``)."""

from django.utils.translation import gettext_lazy as _

from prm.portal.registry import NavItem
from prm.tenancy.choices import Role

from .audit_actions import TwoFactorAudit

audit_actions = [TwoFactorAudit]

nav = [
    NavItem(
        "two_factor",
        _("Two-factor sign-in"),
        "twofactor_policy:page",
        {Role.ADMIN},
        order=905,
        section="programme",
    )
]

"""What personal data plugs in (see ``prm.plugs``): its audit actions, its retention settings on
the programme page, and the admin's menu entry."""

from django.utils.translation import gettext_lazy as _

from prm.portal.registry import NavItem
from prm.tenancy.capabilities import Capability, roles_with

from .audit_actions import PrivacyAudit
from .programme_section import section as programme_section

audit_actions = [PrivacyAudit]

programme_sections = [programme_section]

nav = [
    NavItem(
        "personal-data",
        _("Personal data"),
        "privacy:personal-data",
        roles_with(Capability.MANAGE_PERSONAL_DATA),
        order=965,
        section="programme",
    )
]

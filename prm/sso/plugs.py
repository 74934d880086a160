"""What single sign-on plugs in (see ``prm.plugs``)."""

from django.utils.translation import gettext_lazy as _

from prm.portal.registry import NavItem
from prm.tenancy.choices import Role

from .audit_actions import SsoAudit

audit_actions = [SsoAudit]

nav = [
    NavItem(
        "sso",
        _("Single sign-on"),
        "sso_admin:list",
        {Role.ADMIN},
        order=955,
        section="programme",
        also=("sso_admin:detail",),
    )
]

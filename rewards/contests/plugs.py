"""What contests plugs into the core (see ``prm.plugs``)."""

from django.utils.translation import gettext_lazy as _

from prm.notifications.registry import Category
from prm.portal.registry import NavItem
from prm.tenancy.choices import ALL_ROLES

from .audit_actions import ContestAudit

audit_actions = [ContestAudit]

notification_categories = [Category("contests", _("Prizes won in contests (partner users)"))]

nav = [
    NavItem(
        "contests",
        _("Contests"),
        "contests:list",
        ALL_ROLES,
        order=20,
        section="rewards",
        also=("contests:detail", "contests:create", "contests:edit"),
    )
]

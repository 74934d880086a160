"""What the catalogue plugs into the core, partners and incentives (see ``prm.plugs``)."""

from django.utils.translation import gettext_lazy as _

from prm.notifications.registry import Category
from prm.portal.registry import DashboardPanel, NavItem
from prm.tenancy.choices import ALL_ROLES, STAFF_ROLES, Role

from . import approvals
from . import panels as catalogue_panels
from .audit_actions import CatalogueAudit
from .programme_section import section as programme_section

audit_actions = [CatalogueAudit]

programme_sections = [programme_section]

#: requested redemptions wait in the approval queue of the managers who decide them
approval_queues = [approvals.REDEMPTIONS]

notification_categories = [
    Category("points_expiry", _("Points about to expire (partner users)")),
    Category("redemptions", _("Redemptions approved, refused or granted as prizes (partner users)")),
]

nav = [
    NavItem("rewards", _("Rewards"), "catalogue:rewards", ALL_ROLES, order=10, section="rewards"),
    NavItem(
        "catalogue",
        _("Rewards catalogue"),
        "catalogue:catalogue",
        STAFF_ROLES,
        order=12,
        also=["catalogue:item"],
        section="rewards",
    ),
    NavItem(
        "redemptions",
        _("Redemptions"),
        "catalogue:redemptions",
        ALL_ROLES,
        order=14,
        also=["catalogue:redemption"],
        section="rewards",
    ),
]

panels = [
    DashboardPanel(
        "own-rewards", "catalogue/panel_own.html", catalogue_panels.own_rewards, {Role.PARTNER}, order=8
    ),
]

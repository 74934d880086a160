"""What the portal shell lets apps plug in, menu entries (``nav``) and dashboard panels
(``panels``), and the shell's own (see ``prm.plugs``)."""

from django.utils.translation import gettext_lazy as _

from prm.plugs import Kind
from prm.tenancy.choices import ALL_ROLES, STAFF_ROLES, Role

from . import panels as shell_panels
from .registry import DashboardPanel, NavItem, register_nav, register_panel

kinds = [Kind("nav", NavItem, register_nav), Kind("panels", DashboardPanel, register_panel)]

nav = [
    NavItem("dashboard", _("Dashboard"), "portal:dashboard", ALL_ROLES, order=0),
    NavItem("members", _("Members"), "tenancy:members", {Role.ADMIN}, order=900, section="programme"),
    NavItem(
        "jobs", _("Jobs"), "jobs:list", STAFF_ROLES, order=910, also=["jobs:detail"], section="programme"
    ),
    NavItem(
        "audit", _("Audit trail"), "audit:list", {Role.ADMIN, Role.FINANCE}, order=920, section="programme"
    ),
]

panels = [
    DashboardPanel("members", "portal/panel_members.html", shell_panels.team, STAFF_ROLES, order=800),
    DashboardPanel(
        "activity", "portal/panel_activity.html", shell_panels.activity, {Role.ADMIN, Role.FINANCE}, order=810
    ),
    DashboardPanel("jobs", "portal/panel_jobs.html", shell_panels.recent_jobs, {Role.ADMIN}, order=820),
]

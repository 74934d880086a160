"""What incentives plugs into the core, partners and scorecards (see ``prm.plugs``), and what it lets
the apps above it plug in:

- ``run_checks``: ``RunCheck(...)``, a kind of payout run warning another app finds, and the sales
  it leaves out of the run (``incentives.run_warnings``);
- ``mdf_followups``: ``FollowUp(name, count)``, what an MDF programme's claiming partners registered
  after their claims, for the effectiveness report (``incentives.followups``).
"""

from django.utils.translation import gettext_lazy as _

from prm.notifications.registry import Category
from prm.plugs import Kind
from prm.portal.registry import DashboardPanel, NavItem
from prm.tenancy.choices import ALL_ROLES, STAFF_ROLES, Role
from scorecards.choices import KpiSource
from scorecards.sources import Actuals

from . import approvals
from . import panels as incentive_panels
from .audit_actions import IncentiveAudit
from .benefit_uses import current_uses
from .followups import FollowUp, register_followup
from .kpis import mdf_approved
from .programme_section import section as programme_section
from .run_warnings import RunCheck, register_run_check

kinds = [
    Kind("run_checks", RunCheck, register_run_check),
    Kind("mdf_followups", FollowUp, register_followup),
]

audit_actions = [IncentiveAudit]

programme_sections = [programme_section]

kpi_sources = [Actuals(KpiSource.MDF_APPROVED, mdf_approved)]

#: MDF requests and claims wait in the approval queue of the roles that decide MDF
approval_queues = [approvals.MDF_REQUESTS, approvals.MDF_CLAIMS]

#: which rule applies a tier's benefit, or contradicts it
benefit_readers = [current_uses]

notification_categories = [Category("payouts", _("Approved payouts"))]

nav = [
    NavItem(
        "rules",
        _("Incentive rules"),
        "incentives:rules",
        STAFF_ROLES,
        order=100,
        also=["incentives:rule-create", "incentives:rule-edit"],
        section="payouts",
    ),
    NavItem(
        "what-if",
        _("What-if"),
        "incentives:what-if",
        {Role.ADMIN, Role.CHANNEL_MANAGER, Role.FINANCE},
        order=105,
        section="payouts",
    ),
    NavItem(
        "runs",
        _("Payout runs"),
        "incentives:runs",
        STAFF_ROLES,
        order=110,
        also=["incentives:run"],
        section="payouts",
    ),
    NavItem("mine", _("Payouts and points"), "incentives:mine", ALL_ROLES, order=115, section="payouts"),
    NavItem(
        "rates",
        _("Exchange rates"),
        "incentives:rates",
        {Role.ADMIN, Role.FINANCE},
        order=125,
        section="payouts",
    ),
    NavItem("mdf", _("Market development funds"), "incentives:mdf", ALL_ROLES, order=120, section="payouts"),
]

panels = [
    DashboardPanel(
        "runs", "incentives/panel_runs.html", incentive_panels.runs, {Role.ADMIN, Role.FINANCE}, order=15
    ),
    DashboardPanel(
        "own-payouts", "incentives/panel_own.html", incentive_panels.own_payouts, {Role.PARTNER}, order=7
    ),
]

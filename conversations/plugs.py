"""What the channel plugs into the core, partners and scorecards (see ``prm.plugs``)."""

from django.utils.translation import gettext_lazy as _

from partners.approvals import ApprovalQueue
from prm.notifications.registry import Category
from prm.portal.registry import DashboardPanel, NavItem
from prm.tenancy.capabilities import Capability
from prm.tenancy.choices import ALL_ROLES, Role
from scorecards.choices import KpiSource
from scorecards.sources import Actuals

from . import panels
from .audit_actions import ConversationAudit
from .kpis import requests_answered_in_time
from .programme_section import section as programme_section

audit_actions = [ConversationAudit]

programme_sections = [programme_section]

kpi_sources = [Actuals(KpiSource.REQUESTS_ANSWERED_IN_TIME, requests_answered_in_time)]

#: requests unanswered past the programme's answer time wait in the approval queue of field staff
approval_queues = [
    ApprovalQueue(
        "overdue-requests",
        _("Partner requests overdue"),
        Capability.ANSWER_REQUESTS,
        panels.overdue_requests,
        "conversations:queue",
        query="?overdue=1",
        order=60,
    )
]

notification_categories = [Category("requests", _("Partners' requests and their answers"))]

panels = [
    DashboardPanel(
        "requests", "conversations/panel.html", panels.requests_card, ALL_ROLES - {Role.FINANCE}, order=12
    )
]

nav = [
    NavItem(
        "requests",
        _("Requests"),
        "conversations:mine",
        {Role.PARTNER},
        order=40,
        section="partners",
        also=("conversations:detail",),
    ),
    NavItem(
        "requests-queue",
        _("Partner requests"),
        "conversations:queue",
        {Role.ADMIN, Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD},
        order=40,
        section="partners",
        also=("conversations:detail",),
    ),
]

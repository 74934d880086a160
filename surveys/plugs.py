"""What surveys plugs into the core (see ``prm.plugs``)."""

from django.utils.translation import gettext_lazy as _

from prm.notifications.registry import Category
from prm.portal.registry import NavItem
from prm.tenancy.capabilities import Capability, roles_with
from prm.tenancy.choices import ALL_ROLES

from .audit_actions import SurveyAudit
from .programme_section import section as programme_section

audit_actions = [SurveyAudit]

programme_sections = [programme_section]

notification_categories = [
    Category("partner_surveys", _("Surveys about the partner programme (partner users)"))
]

nav = [
    NavItem(
        "customer-surveys",
        _("Customer surveys"),
        "surveys:customer-list",
        ALL_ROLES,
        order=90,
        section="performance",
    ),
    NavItem(
        "partner-surveys",
        _("Partner surveys"),
        "surveys:partner-list",
        roles_with(Capability.RUN_SURVEYS),
        order=92,
        section="performance",
        also=("surveys:partner-detail", "surveys:partner-create"),
    ),
    NavItem(
        "my-surveys",
        _("My surveys"),
        "surveys:mine",
        roles_with(Capability.PARTNER_HOME),
        order=91,
        section="performance",
        also=("surveys:mine-answer",),
    ),
]

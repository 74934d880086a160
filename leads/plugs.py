"""What leads plugs into the core and into partners and scorecards (see ``prm.plugs``)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from incentives.followups import FollowUp
from partners.health.signals import Signal
from partners.panels import PartnerSection
from partners.plugs import WillingnessInput
from prm.notifications.registry import Category
from prm.plugs import Kind
from prm.portal.registry import NavItem
from prm.tenancy.choices import ALL_ROLES
from scorecards.choices import KpiSource
from scorecards.sources import Actuals

from .audit_actions import LeadAudit
from .benefit_uses import current_uses
from .finder_sections import FinderSection, register_finder_section
from .selectors import leads_accepted_kpi, leads_after_claims, leads_ignored, leads_section, leads_willingness

#: ``finder_sections``: ``FinderSection(template, context)``, a section of the public find-a-partner page
kinds = [Kind("finder_sections", FinderSection, register_finder_section)]

audit_actions = [LeadAudit]

notification_categories = [Category("leads", _("Leads offered to my partner (partner users)"))]

nav = [
    NavItem("leads", _("Leads"), "leads:list", ALL_ROLES, order=35, also=["leads:detail"], section="partners")
]

willingness_inputs = [WillingnessInput("leads", leads_willingness)]

kpi_sources = [Actuals(KpiSource.LEADS_ACCEPTED, leads_accepted_kpi)]

#: the leads an MDF programme's claiming partners received after their claims (effectiveness report)
mdf_followups = [FollowUp("leads", leads_after_claims)]

partner_sections = [PartnerSection("leads/partner_section.html", leads_section)]

#: lead rules apply the tiers' lead priority
benefit_readers = [current_uses]

health_signals = [
    Signal(
        "leads_ignored",
        leads_ignored,
        lambda p: gettext("%(count)d leads left unanswered in the last 30 days.") % p,
    )
]

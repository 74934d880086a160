"""What rewards.preferences plugs into the core and into partners (see ``prm.plugs``)."""

from django.utils.translation import gettext_lazy as _

from partners.panels import PartnerSection
from prm.portal.registry import NavItem
from prm.tenancy.choices import Role

from .audit_actions import PreferenceAudit
from .sections import preferences_section

audit_actions = [PreferenceAudit]

nav = [
    NavItem(
        "reward-preferences",
        _("Reward preferences"),
        "preferences:preferences",
        {Role.PARTNER},
        order=90,
        section="rewards",
    )
]

partner_sections = [PartnerSection("preferences/partner_section.html", preferences_section)]

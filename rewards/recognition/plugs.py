"""What recognition plugs into the core and the apps below it (see ``prm.plugs``): the menu, the
awards on the partner page, on *My programme* and on the public finder, the e-mail category, the
audit actions."""

from django.utils.translation import gettext_lazy as _

from leads.finder_sections import FinderSection
from partners.panels import PartnerSection
from prm.notifications.registry import Category
from prm.portal.registry import NavItem
from prm.tenancy.choices import ALL_ROLES
from scorecards.programme_cards import ProgrammeCard

from .audit_actions import AwardAudit
from .sections import finder_awards_section, partner_awards_section

audit_actions = [AwardAudit]

notification_categories = [Category("awards", _("Awards to my partner or its people (partner users)"))]

nav = [NavItem("awards", _("Awards"), "recognition:awards", ALL_ROLES, order=30, section="rewards")]

partner_sections = [PartnerSection("recognition/partner_section.html", partner_awards_section)]

programme_cards = [ProgrammeCard("recognition/partner_section.html", partner_awards_section)]

finder_sections = [FinderSection("recognition/finder_section.html", finder_awards_section)]

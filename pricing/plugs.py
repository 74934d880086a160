"""What price discipline plugs into the core, partners and incentives (see ``prm.plugs``)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from incentives.run_warnings import RunCheck
from partners.health.signals import Signal
from partners.panels import PartnerSection
from prm.portal.registry import NavItem
from prm.tenancy.choices import ALL_ROLES

from . import checks
from .audit_actions import PricingAudit
from .flags import breaches
from .panels import breaches_section
from .programme_section import section as programme_section

audit_actions = [PricingAudit]

programme_sections = [programme_section]

#: sales below the minimum: a payout run warning, and left out of the run where the programme says so
run_checks = [
    RunCheck(checks.CODE, checks.RANK, checks.LABEL, checks.sentence, checks.write, checks.excluded)
]

#: a price breach counts against the partner's integrity (its health)
health_signals = [
    Signal(
        "price_breach",
        breaches,
        lambda p: (
            gettext(
                "Below the price list in the last %(days)d days: %(sales)d sales under the minimum price, "
                "%(deals)d deals registered under the discount band."
            )
            % p
        ),
    )
]

partner_sections = [PartnerSection("pricing/partner_section.html", breaches_section)]

nav = [NavItem("prices", _("Price list"), "pricing:prices", ALL_ROLES, order=45, section="partners")]

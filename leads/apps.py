from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = _("Leads")

    def ready(self):
        from leads.audit_actions import LeadAudit
        from partners.panels import register_partner_section
        from partners.services.tiers import register_willingness_input
        from prm.audit.actions import register_actions
        from prm.notifications.registry import register_category
        from prm.portal.registry import register_nav
        from prm.tenancy.choices import ALL_ROLES
        from scorecards.choices import KpiSource
        from scorecards.sources import register_source

        from .selectors import leads_accepted_kpi, leads_section, leads_willingness

        register_actions(LeadAudit)
        register_category("leads", _("Leads offered to my partner (partner users)"))
        register_nav(
            "leads", _("Leads"), "leads:list", ALL_ROLES, order=35, also=["leads:detail"], section="partners"
        )
        register_willingness_input("leads", leads_willingness)
        register_source(KpiSource.LEADS_ACCEPTED, leads_accepted_kpi)
        register_partner_section("leads/partner_section.html", leads_section)
        from partners.benefit_keeping import register_benefit_reader

        from .benefit_uses import current_uses

        register_benefit_reader(current_uses)  # lead rules apply the tiers' lead priority
        from django.utils.translation import gettext

        from partners.health import register_health_signal

        from .selectors import leads_ignored

        register_health_signal(
            "leads_ignored",
            leads_ignored,
            lambda p: gettext("%(count)d leads left unanswered in the last 30 days.") % p,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = _("Incentives")

    def ready(self):
        from incentives.audit_actions import IncentiveAudit
        from prm.audit.actions import register_actions

        register_actions(IncentiveAudit)

        from scorecards.choices import KpiSource
        from scorecards.sources import register_source

        from .kpis import mdf_approved

        register_source(KpiSource.MDF_APPROVED, mdf_approved)
        from partners.benefit_keeping import register_benefit_reader

        from .benefit_uses import current_uses

        register_benefit_reader(current_uses)  # which rule applies a tier's benefit, or contradicts it
        from prm.notifications.registry import register_category
        from prm.portal.registry import register_nav, register_panel
        from prm.tenancy.choices import ALL_ROLES, STAFF_ROLES, Role

        from . import panels

        register_category("payouts", _("Approved payouts"))

        register_nav(
            "rules",
            _("Incentive rules"),
            "incentives:rules",
            STAFF_ROLES,
            order=100,
            also=["incentives:rule-create", "incentives:rule-edit"],
            section="payouts",
        )
        register_nav(
            "what-if",
            _("What-if"),
            "incentives:what-if",
            {Role.ADMIN, Role.CHANNEL_MANAGER, Role.FINANCE},
            order=105,
            section="payouts",
        )
        register_nav(
            "runs",
            _("Payout runs"),
            "incentives:runs",
            STAFF_ROLES,
            order=110,
            also=["incentives:run"],
            section="payouts",
        )
        register_nav(
            "mine", _("Payouts and points"), "incentives:mine", ALL_ROLES, order=115, section="payouts"
        )
        register_nav(
            "rates",
            _("Exchange rates"),
            "incentives:rates",
            {Role.ADMIN, Role.FINANCE},
            order=125,
            section="payouts",
        )
        register_nav(
            "mdf", _("Market development funds"), "incentives:mdf", ALL_ROLES, order=120, section="payouts"
        )
        register_panel(
            "runs", "incentives/panel_runs.html", panels.runs, {Role.ADMIN, Role.FINANCE}, order=15
        )
        register_panel(
            "own-payouts", "incentives/panel_own.html", panels.own_payouts, {Role.PARTNER}, order=7
        )

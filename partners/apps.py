from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from partners.audit_actions import PartnerAudit
        from prm.audit.actions import register_actions

        register_actions(PartnerAudit)
        from prm.portal.registry import register_nav, register_panel
        from prm.tenancy.choices import ALL_ROLES, STAFF_ROLES, Role

        from . import lifecycle, panels

        lifecycle.register_default_gates()
        from .services.health import register_partner_signals

        register_partner_signals()
        from prm.notifications.registry import register_category

        register_category("stage_moves", _("Stage moves of my partner"))
        register_category("tier_changes", _("My partner's tier and what it gives (partner users)"))
        register_category("time_boxes", _("Time boxes due or missed (owners)"))
        register_category(
            "approval_requests", _("Requests to approve a partner for signing (regional leads)")
        )
        # the sales side's daily tools; finance reaches them by link, not from its menu
        sales_side = {Role.ADMIN, Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD}
        register_nav("pipeline", _("Pipeline"), "partners:board", sales_side, order=10, section="partners")
        register_nav(
            "partners",
            _("Partners"),
            "partners:list",
            STAFF_ROLES,
            order=20,
            also=[
                "partners:detail",
                "partners:create",
                "partners:edit",
                "partners:visit-create",
                "partners:assessment-selection",
                "partners:assessment-strategic",
                "partners:assessment-tier",
            ],
            section="partners",
        )
        register_nav(
            "deals", _("Deal registrations"), "partners:deals", ALL_ROLES, order=30, section="partners"
        )
        register_nav("sales", _("Sales"), "partners:sales", STAFF_ROLES, order=40, section="partners")
        register_nav(
            "programme",
            _("Programme settings"),
            "partners:programme",
            {Role.ADMIN},
            order=890,
            section="programme",
        )
        register_nav(
            "reference",
            _("Reference lists"),
            "partners:reference",
            STAFF_ROLES,
            order=895,
            section="programme",
        )
        register_nav("tiers", _("Tiers"), "partners:tiers", STAFF_ROLES, order=50, section="partners")
        register_nav(
            "activity", _("Team activity"), "partners:activity", sales_side, order=65, section="partners"
        )
        register_panel(
            "team", "partners/panel_team.html", panels.team, {Role.REGIONAL_LEAD}, order=26, wide=True
        )
        register_nav(
            "benefits",
            _("What each tier gives"),
            "partners:benefits",
            ALL_ROLES,
            order=893,
            section="programme",
        )
        register_nav(
            "objections", _("Objections"), "partners:objections", sales_side, order=60, section="partners"
        )
        register_panel(
            "own", "partners/panel_own.html", panels.own_partner, {Role.PARTNER}, order=5, wide=True
        )
        register_panel("funnel", "partners/panel_funnel.html", panels.pipeline, STAFF_ROLES, order=10)
        register_panel("tiers", "partners/panel_tiers.html", panels.tiers, STAFF_ROLES, order=20)
        register_panel("overdue", "partners/panel_overdue.html", panels.overdue, STAFF_ROLES, order=30)
        register_panel("attention", "partners/panel_attention.html", panels.attention, sales_side, order=25)
        register_category("health", _("Weekly digest of my partners that need attention (owners)"))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = _("Onboarding")

    def ready(self):
        from onboarding.audit_actions import OnboardingAudit
        from prm.audit.actions import register_actions

        register_actions(OnboardingAudit)
        from partners.choices import Stage
        from partners.lifecycle import register_gate, register_on_enter
        from partners.services.tiers import register_willingness_input
        from prm.notifications.registry import register_category
        from prm.portal.registry import register_nav, register_panel
        from prm.tenancy.choices import ALL_ROLES, STAFF_ROLES, Role
        from scorecards.choices import KpiSource
        from scorecards.sources import register_source

        from . import panels
        from .services.signing import checklist_start, needs_agreement
        from .services.training import certify_on_signing, training_completion, training_willingness

        register_gate(Stage.SIGNED, needs_agreement)
        register_on_enter(Stage.SIGNED, checklist_start)
        register_on_enter(Stage.SIGNED, certify_on_signing)
        register_source(KpiSource.TRAINING, training_completion)
        register_willingness_input("training", training_willingness)
        from partners.health import register_health_signal
        from partners.rights import register_gap_hint

        from .services.training import expiring_training, training_gap_hint

        register_gap_hint("willingness", training_gap_hint)

        register_health_signal(
            "training_expiring",
            expiring_training,
            lambda p: _("Required training “%(course)s” expires on %(date)s.") % p,
        )
        register_category("applications", _("New partner applications"))
        register_category("certification", _("Training about to expire (partner users)"))
        register_nav(
            "onboarding",
            _("Onboarding"),
            "onboarding:list",
            STAFF_ROLES,
            order=65,
            also=["onboarding:partner"],
            section="partners",
        )
        register_nav(
            "training", _("Training"), "onboarding:training", {Role.PARTNER}, order=8, section="partners"
        )
        register_nav(
            "announcements",
            _("Announcements"),
            "onboarding:announcements",
            ALL_ROLES,
            order=130,
            section="programme",
        )
        register_panel(
            "onboarding-own", "onboarding/panel_own.html", panels.own, {Role.PARTNER}, order=4, wide=True
        )
        register_panel(
            "announcements", "onboarding/panel_news.html", panels.news, ALL_ROLES, order=2, wide=False
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = _("Scorecards")

    def ready(self):
        from prm.audit.actions import register_actions
        from scorecards.audit_actions import ScorecardAudit

        register_actions(ScorecardAudit)
        from prm.portal.registry import register_nav, register_panel
        from prm.tenancy.choices import ALL_ROLES, STAFF_ROLES, Role

        from . import panels, sources  # noqa: F401  (registers the KPI sources)

        register_nav(
            "scorecards",
            _("Scorecards"),
            "scorecards:list",
            ALL_ROLES,
            order=70,
            also=["scorecards:detail"],
            section="performance",
        )
        register_nav(
            "my-programme",
            _("My programme"),
            "scorecards:my-programme",
            {Role.PARTNER},
            order=5,
            section="performance",
        )
        register_nav(
            "installed-base",
            _("Installed base"),
            "scorecards:installed-base",
            ALL_ROLES,
            order=86,
            section="performance",
        )
        register_nav(
            "targets", _("Targets"), "scorecards:targets", ALL_ROLES, order=80, section="performance"
        )
        register_nav(
            "plans",
            _("Business plans"),
            "scorecards:plans",
            ALL_ROLES,
            order=82,
            section="performance",
            also=["scorecards:plan"],
        )
        from prm.notifications.registry import register_category

        register_category("business_plans", _("Business plans to agree (partner users)"))
        register_category(
            "installed_base", _("Customers' products due for service or warranty renewal (partner users)")
        )
        from django.utils.translation import gettext

        from partners.health import register_health_signal

        from .selectors import falling_scores

        register_health_signal(
            "score_falling",
            falling_scores,
            lambda p: (
                gettext("Score falling two periods running: %(scores)s.")
                % {"scores": " → ".join(p["scores"])}
            ),
            weight=2,
        )
        register_nav(
            "engagement",
            _("Customer engagement"),
            "scorecards:engagement",
            ALL_ROLES,
            order=85,
            section="performance",
        )
        register_nav(
            "kpis",
            _("KPIs"),
            "scorecards:kpis",
            STAFF_ROLES,
            order=880,
            also=["scorecards:kpi-create", "scorecards:kpi-edit"],
            section="performance",
        )
        register_panel(
            "own-scorecard", "scorecards/panel_own.html", panels.own_scorecard, {Role.PARTNER}, order=6
        )
        register_panel("leaders", "scorecards/panel_leaders.html", panels.leaders, STAFF_ROLES, order=25)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "prm.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from prm.tenancy.choices import ALL_ROLES, STAFF_ROLES, Role

        from . import panels
        from .registry import register_nav, register_panel

        register_nav("dashboard", _("Dashboard"), "portal:dashboard", ALL_ROLES, order=0)
        register_nav("members", _("Members"), "tenancy:members", {Role.ADMIN}, order=900, section="programme")
        register_nav(
            "jobs", _("Jobs"), "jobs:list", STAFF_ROLES, order=910, also=["jobs:detail"], section="programme"
        )
        register_nav(
            "audit",
            _("Audit trail"),
            "audit:list",
            {Role.ADMIN, Role.FINANCE},
            order=920,
            section="programme",
        )
        register_panel("team", "portal/panel_members.html", panels.team, STAFF_ROLES, order=800)
        register_panel(
            "activity",
            "portal/panel_activity.html",
            panels.activity,
            {Role.ADMIN, Role.FINANCE},
            order=810,
        )
        register_panel("jobs", "portal/panel_jobs.html", panels.recent_jobs, {Role.ADMIN}, order=820)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "prm.tenancy"
    label = "tenancy"
    verbose_name = _("Tenancy")

    def ready(self):
        from prm.audit.actions import register_actions
        from prm.tenancy.audit_actions import TenancyAudit

        register_actions(TenancyAudit)
        from django.db.models.signals import post_migrate

        from . import checks, rls  # noqa: F401  (checks register themselves)

        post_migrate.connect(rls.apply_row_level_security, dispatch_uid="tenancy-rls")

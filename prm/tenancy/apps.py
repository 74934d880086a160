from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "prm.tenancy"
    label = "tenancy"
    verbose_name = _("Tenancy")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, rls  # noqa: F401  (checks register themselves)

        post_migrate.connect(rls.apply_row_level_security, dispatch_uid="tenancy-rls")

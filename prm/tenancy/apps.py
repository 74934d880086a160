from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from prm.net import count_failed_signin

from . import checks  # noqa: F401 - its system checks register themselves on import


class TenancyConfig(AppConfig):
    """What tenancy plugs into the core is declared in ``prm/tenancy/plugs.py``; here, Django's own
    hooks: the system checks and row-level security applied after every migration."""

    name = "prm.tenancy"
    label = "tenancy"
    verbose_name = _("Tenancy")

    def ready(self):
        from . import rls  # noqa: PLC0415 - it imports a model: the app registry must be loaded first

        post_migrate.connect(rls.apply_row_level_security, dispatch_uid="tenancy-rls")
        user_login_failed.connect(count_failed_signin, dispatch_uid="signin-failures-per-address")

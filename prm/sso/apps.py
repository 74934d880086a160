from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    """What single sign-on plugs into the core is declared in ``prm/sso/plugs.py``."""

    name = "prm.sso"
    label = "sso"
    verbose_name = _("Single sign-on")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from prm.plugs import plug_in_installed_apps


class PortalConfig(AppConfig):
    """The shell. Once every model is loaded it reads what each installed app declares in its
    plugs module and registers it (``prm.plugs``); its own menu entries and panels are in
    ``prm/portal/plugs.py``."""

    name = "prm.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        plug_in_installed_apps()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    """What leads plugs into the core and the apps below it is declared in ``leads/plugs.py``."""

    name = "leads"
    verbose_name = _("Leads")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """What partners plugs into the core, and what it lets the apps above it plug in, are declared
    in ``partners/plugs.py``."""

    name = "partners"
    verbose_name = _("Partners")

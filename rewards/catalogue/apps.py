from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """What the catalogue plugs into the core and the apps below it is declared in ``plugs.py``."""

    name = "rewards.catalogue"
    label = "catalogue"
    verbose_name = _("Rewards catalogue")

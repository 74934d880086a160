from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricingConfig(AppConfig):
    """The price list and its tier terms; what it plugs in is declared in ``plugs.py``."""

    name = "pricing"
    label = "pricing"
    verbose_name = _("Price discipline")

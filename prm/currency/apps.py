from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurrencyConfig(AppConfig):
    name = "prm.currency"
    label = "currency"
    verbose_name = _("Currency")

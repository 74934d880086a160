from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    """What incentives plugs into the core and the apps below it is declared in ``incentives/plugs.py``."""

    name = "incentives"
    verbose_name = _("Incentives")

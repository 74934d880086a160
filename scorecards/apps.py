from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    """What scorecards plugs into the core and partners, and the KPI sources it lets apps above it
    add, are declared in ``scorecards/plugs.py``."""

    name = "scorecards"
    verbose_name = _("Scorecards")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Customer and partner surveys; what it plugs in is declared in ``plugs.py``."""

    name = "surveys"
    verbose_name = _("Surveys")

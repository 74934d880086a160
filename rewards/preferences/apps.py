from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreferencesConfig(AppConfig):
    """A partner's reward preferences; what it plugs in is declared in ``plugs.py``."""

    name = "rewards.preferences"
    label = "preferences"
    verbose_name = _("Reward preferences")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    """Contests, their leaderboards and prizes; what it plugs in is declared in ``plugs.py``."""

    name = "rewards.contests"
    label = "contests"
    verbose_name = _("Contests")

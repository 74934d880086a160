from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    """Awards to partners and their people; what it plugs in is declared in ``plugs.py``."""

    name = "rewards.recognition"
    label = "recognition"
    verbose_name = _("Recognition")

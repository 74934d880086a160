from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """Partners' requests to the vendor; what it plugs in is declared in ``plugs.py``."""

    name = "conversations"
    label = "conversations"
    verbose_name = _("Partner requests")

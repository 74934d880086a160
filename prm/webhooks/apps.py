from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """What webhooks plugs into the core is declared in ``prm/webhooks/plugs.py``."""

    name = "prm.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

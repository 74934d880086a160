from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiTokensConfig(AppConfig):
    """Named API tokens that end. What it plugs into the core is in ``plugs.py``; ``ready()``
    connects the receivers that revoke a user's tokens (``receivers.py``)."""

    name = "prm.apitokens"
    label = "apitokens"
    verbose_name = _("API tokens")

    def ready(self):
        from . import receivers  # noqa: PLC0415 - receivers import models: the app registry must be loaded first

        receivers.connect()

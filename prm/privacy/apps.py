from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data: export, erasure and retention. It reads every app's records, so it is
    installed after all of them; nothing imports it back."""

    name = "prm.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

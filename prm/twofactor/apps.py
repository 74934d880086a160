from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    """Two-factor sign-in: TOTP devices and recovery codes (django-otp's), the verify step, and the
    tenant's policy that requires it of its staff."""

    name = "prm.twofactor"
    label = "twofactor"
    verbose_name = _("Two-factor sign-in")

    def ready(self):
        from .session import on_sign_in  # noqa: PLC0415 - it imports django-otp's models: the registry must be loaded first

        user_logged_in.connect(on_sign_in, dispatch_uid="prm.twofactor.on_sign_in")

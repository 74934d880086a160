from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """What onboarding plugs into the core and the apps below it is declared in ``onboarding/plugs.py``."""

    name = "onboarding"
    verbose_name = _("Onboarding")

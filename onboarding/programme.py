"""Onboarding's programme settings: reminders before required training expires, and what an
expired course does to a certified partner.

Stored under ``tenant.programme_settings["onboarding"]``; anything missing falls back to the
defaults below. Read with ``onboarding_programme_for(tenant)``; shown on the programme page and in
``programme/`` through onboarding's section (``programme_section.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from prm.programme import plain_settings, stored_section

#: where onboarding's settings are stored: ``tenant.programme_settings[KEY]``
KEY = "onboarding"

#: What an expired required course does to a certified partner: ``keep`` it certified (it shows
#: as lapsing), or ``back_to_signed`` (it returns to signed until the course is completed again).
CERTIFICATION_LAPSE = ("keep", "back_to_signed")


@dataclass(frozen=True)
class OnboardingProgramme:
    #: Partner users are reminded this many days before a course completion expires (0: never).
    certification_reminder_days: int = 30
    #: What an expired required course does to a certified partner (CERTIFICATION_LAPSE).
    certification_lapse: str = "back_to_signed"


#: the names onboarding owns in ``programme/`` and on the programme page
NAMES = ("certification_reminder_days", "certification_lapse")


def read(stored: dict) -> OnboardingProgramme:
    return plain_settings(OnboardingProgramme, stored)


def onboarding_programme_for(tenant) -> OnboardingProgramme:
    """The tenant's onboarding settings."""
    return read(stored_section(tenant, KEY))


def validate(values: dict) -> dict:
    """The errors of a change of onboarding's settings, ``{name: [message]}`` ({} when none):
    certification_reminder_days 0–365, certification_lapse one of ``CERTIFICATION_LAPSE``."""
    errors = {}
    if values.get("certification_lapse", "keep") not in CERTIFICATION_LAPSE:
        errors["certification_lapse"] = [_("Use one of: %(v)s.") % {"v": ", ".join(CERTIFICATION_LAPSE)}]
    if not 0 <= int(values.get("certification_reminder_days", 30)) <= 365:
        errors["certification_reminder_days"] = [_("Between 0 and 365 days.")]
    return errors

"""Surveys' programme settings: what a customer survey follows and when, reminders, how long a
link works, and the smallest group whose partner survey answers are shown.

Stored under ``tenant.programme_settings["surveys"]``; read with ``survey_programme_for(tenant)``;
shown on the programme page and in ``programme/`` through ``programme_section.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from prm.programme import plain_settings, stored_section

KEY = "surveys"

#: what a customer survey follows: nothing (off), registered products, won deals, or both
SURVEY_AFTER = ("off", "registration", "deal", "both")


@dataclass(frozen=True)
class SurveyProgramme:
    #: Customer surveys follow this (``SURVEY_AFTER``); off by default.
    customer_survey_after: str = "off"
    #: … this many days after the registration's date or the deal's win.
    customer_survey_delay_days: int = 14
    #: One reminder this many days after the first e-mail, when unanswered (0: none).
    customer_survey_reminder_days: int = 7
    #: A customer survey's link works this many days after it was sent.
    customer_survey_link_days: int = 30
    #: Partner survey results: a group with fewer answers shows none of them (nor its comments).
    survey_min_group: int = 5


NAMES = (
    "customer_survey_after",
    "customer_survey_delay_days",
    "customer_survey_reminder_days",
    "customer_survey_link_days",
    "survey_min_group",
)


def read(stored: dict) -> SurveyProgramme:
    return plain_settings(SurveyProgramme, stored)


def survey_programme_for(tenant) -> SurveyProgramme:
    return read(stored_section(tenant, KEY))


def _int(values, name, default):
    try:
        return int(values.get(name, default))
    except (TypeError, ValueError):
        return None


def validate(values: dict) -> dict:
    """The errors of a change, ``{name: [message]}``: ``customer_survey_after`` one of
    ``SURVEY_AFTER``; delay 0–365 days; reminder 0–60 days; link 1–365 days; minimum group 1–50."""
    errors = {}
    if values.get("customer_survey_after", "off") not in SURVEY_AFTER:
        errors["customer_survey_after"] = [_("Use one of: %(v)s.") % {"v": ", ".join(SURVEY_AFTER)}]
    bounds = {
        "customer_survey_delay_days": (14, 0, 365),
        "customer_survey_reminder_days": (7, 0, 60),
        "customer_survey_link_days": (30, 1, 365),
        "survey_min_group": (5, 1, 50),
    }
    for name, (default, low, high) in bounds.items():
        value = _int(values, name, default)
        if value is None or not low <= value <= high:
            errors[name] = [_("From %(low)d to %(high)d.") % {"low": low, "high": high}]
    return errors

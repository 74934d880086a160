"""Scorecards' programme settings: how attainment and balance are scored, how many partners a
cohort needs for a rank to mean something, how fast the vendor answers a deal registration
(measured on the vendor's side of activation), and the installed base's reminders.

Stored under ``tenant.programme_settings["scorecards"]``; anything missing falls back to the
defaults below. Read with ``scorecard_programme_for(tenant)``; shown on the programme page and in
``programme/`` through scorecards' section (``programme_section.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from prm.programme import plain_settings, stored_section

#: where scorecards' settings are stored: ``tenant.programme_settings[KEY]``
KEY = "scorecards"


@dataclass(frozen=True)
class ScorecardProgramme:
    #: Attainment counts up to this percent of a target (beating one target does not make up for
    #: missing another).
    attainment_cap: int = 100
    #: The dimensions are balanced when their scores lie within this many points.
    balance_spread: int = 20
    #: A scorecard is ranked among the partners of its tier and region when they are at least this
    #: many; else among its tier in every region; else among the whole channel (a rank of 1 of 1
    #: says nothing).
    min_cohort_size: int = 3
    #: The vendor answers a deal registration within this many days (a vendor-side KPI).
    answer_within_days: int = 2
    #: Installed base: reminders go out this many days before a service or a warranty end …
    service_reminder_days: int = 30
    #: … to the partner's users, and to the end customer too where it agreed (off by default).
    remind_end_customers: bool = False


#: the names scorecards owns in ``programme/`` and on the programme page
NAMES = (
    "attainment_cap",
    "balance_spread",
    "min_cohort_size",
    "answer_within_days",
    "service_reminder_days",
    "remind_end_customers",
)


def read(stored: dict) -> ScorecardProgramme:
    return plain_settings(ScorecardProgramme, stored)


def scorecard_programme_for(tenant) -> ScorecardProgramme:
    """The tenant's scorecard settings."""
    return read(stored_section(tenant, KEY))


def validate(values: dict) -> dict:
    """The errors of a change of scorecards' settings, ``{name: [message]}`` ({} when none):
    attainment_cap 100–200 %, balance_spread 1–100 points, min_cohort_size 1–100 partners,
    answer_within_days 1–60, service_reminder_days 1–180."""
    errors = {}
    if not 100 <= int(values.get("attainment_cap", 100)) <= 200:
        errors["attainment_cap"] = [_("Cap attainment between 100% and 200% of the target.")]
    if not 1 <= int(values.get("balance_spread", 20)) <= 100:
        errors["balance_spread"] = [_("A spread of 1 to 100 points.")]
    if not 1 <= int(values.get("min_cohort_size", 3)) <= 100:
        errors["min_cohort_size"] = [_("Between 1 and 100 partners.")]
    if not 1 <= int(values.get("answer_within_days", 2)) <= 60:
        errors["answer_within_days"] = [_("Between 1 and 60 days.")]
    if not 1 <= int(values.get("service_reminder_days", 30)) <= 180:
        errors["service_reminder_days"] = [_("Between 1 and 180 days.")]
    return errors

"""The channel's programme settings: how soon the vendor answers a partner's request.

Stored under ``tenant.programme_settings["conversations"]``; read with ``conversation_programme_for``;
shown on the programme page and in ``programme/`` through ``programme_section.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils.translation import gettext as _

from prm.programme import plain_settings, stored_section

from .choices import AnswerUnit

KEY = "conversations"
#: the longest answer time a tenant may set, in either unit
MAX_WITHIN = 400


@dataclass(frozen=True)
class ConversationProgramme:
    #: The vendor answers a partner's request within this many ``answer_unit`` (business days:
    #: Monday to Friday; business hours: hours of those days); past it, the request is overdue.
    answer_within: int = 2
    answer_unit: str = AnswerUnit.DAYS

    @property
    def allowed(self) -> timedelta:
        """The answer time as business time (a business day counts 24 hours)."""
        if self.answer_unit == AnswerUnit.HOURS:
            return timedelta(hours=self.answer_within)
        return timedelta(days=self.answer_within)


NAMES = ("answer_within", "answer_unit")


def read(stored: dict) -> ConversationProgramme:
    return plain_settings(ConversationProgramme, stored)


def conversation_programme_for(tenant) -> ConversationProgramme:
    return read(stored_section(tenant, KEY))


def validate(values: dict) -> dict:
    """``answer_within`` from 1 to ``MAX_WITHIN``; ``answer_unit`` days or hours."""
    errors = {}
    within = values.get("answer_within", 2)
    try:
        within = int(within)
    except (TypeError, ValueError):
        within = 0
    if not 1 <= within <= MAX_WITHIN:
        errors["answer_within"] = [_("From 1 to %(max)d.") % {"max": MAX_WITHIN}]
    if values.get("answer_unit", AnswerUnit.DAYS) not in AnswerUnit.values:
        errors["answer_unit"] = [_("Business days or business hours.")]
    return errors

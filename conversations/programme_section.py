"""The channel's section of the programme page and of ``programme/`` (see ``prm.programme``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from prm.programme import ProgrammeSection

from . import programme
from .choices import AnswerUnit


def form_fields() -> dict:
    return {
        "answer_within": forms.IntegerField(
            required=False,
            min_value=1,
            max_value=programme.MAX_WITHIN,
            label=_("Answer partners' requests within"),
            help_text=_("Past this, a request is overdue and counts against the vendor's answer time."),
        ),
        "answer_unit": forms.ChoiceField(
            required=False, choices=[("", "—"), *AnswerUnit.choices], label=_("Unit of the answer time")
        ),
    }


def api_fields() -> dict:
    return {
        "answer_within": serializers.IntegerField(
            min_value=1,
            max_value=programme.MAX_WITHIN,
            required=False,
            help_text="The vendor answers a partner's request within this many answer_unit (default 2).",
        ),
        "answer_unit": serializers.ChoiceField(
            choices=AnswerUnit.choices,
            required=False,
            help_text="days: business days (Monday to Friday); hours: hours of business days.",
        ),
    }


section = ProgrammeSection(
    key=programme.KEY,
    title=_("Partner requests"),
    names=programme.NAMES,
    read=programme.read,
    validate=programme.validate,
    form_fields=form_fields,
    api_fields=api_fields,
    used_by={"answer_*": ((_("Requests queue"), "conversations:queue"),)},
)

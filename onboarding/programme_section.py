"""Onboarding's section of the programme page and of ``programme/`` (see ``prm.programme``): the
page's and the API's fields of ``onboarding.programme``'s settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from prm.programme import ProgrammeSection

from . import programme


def form_fields() -> dict:
    return {
        "certification_reminder_days": forms.IntegerField(
            required=False,
            label=_("Remind partners before required training expires (days)"),
            min_value=0,
            max_value=365,
            help_text=_("0: no reminders."),
        ),
        "certification_lapse": forms.ChoiceField(
            required=False,
            label=_("When required training expires, a certified partner"),
            choices=[("back_to_signed", _("goes back to signed")), ("keep", _("stays certified"))],
        ),
    }


def api_fields() -> dict:
    return {
        "certification_reminder_days": serializers.IntegerField(
            min_value=0,
            max_value=365,
            required=False,
            help_text="Partner users are e-mailed this many days before required training expires (0: never).",
        ),
        "certification_lapse": serializers.ChoiceField(
            choices=["back_to_signed", "keep"],
            required=False,
            help_text="What expired required training does to a certified partner.",
        ),
    }


#: where each setting of the page is used (the page links there under the field)
USED_BY = {
    "certification_reminder_days": ((_("Onboarding"), "onboarding:list"),),
    "certification_lapse": ((_("Onboarding"), "onboarding:list"),),
}


section = ProgrammeSection(
    key=programme.KEY,
    title=_("Onboarding"),
    names=programme.NAMES,
    read=programme.read,
    validate=programme.validate,
    form_fields=form_fields,
    api_fields=api_fields,
    used_by=USED_BY,
)

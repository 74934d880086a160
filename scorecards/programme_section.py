"""Scorecards' section of the programme page and of ``programme/`` (see ``prm.programme``): the
page's and the API's fields of ``scorecards.programme``'s settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from prm.programme import ProgrammeSection

from . import programme


def form_fields() -> dict:
    return {
        "attainment_cap": forms.IntegerField(
            required=False,
            label=_("Scorecards: attainment counts up to (percent of the target)"),
            min_value=100,
            max_value=200,
            help_text=_("100: beating one target does not make up for missing another."),
        ),
        "balance_spread": forms.IntegerField(
            required=False,
            label=_("Scorecards: dimensions balanced within (points)"),
            min_value=1,
            max_value=100,
        ),
        "min_cohort_size": forms.IntegerField(
            required=False,
            label=_("Scorecards: rank among at least (partners)"),
            min_value=1,
            max_value=100,
            help_text=_(
                "A scorecard is ranked among the partners of its tier and region; where they are fewer, "
                "among its tier in every region, then among the whole channel. Applies when a period is "
                "computed."
            ),
        ),
        "answer_within_days": forms.IntegerField(
            required=False,
            label=_("The vendor answers a deal registration within (days)"),
            min_value=1,
            max_value=60,
            help_text=_("Scorecards measure it on the vendor's side of activation."),
        ),
        "service_reminder_days": forms.IntegerField(
            required=False,
            label=_("Installed base: remind this many days before a service or warranty end"),
            min_value=1,
            max_value=180,
        ),
        "remind_end_customers": forms.BooleanField(
            required=False,
            label=_("Installed base: remind end customers too (where they agreed)"),
        ),
    }


def api_fields() -> dict:
    return {
        "attainment_cap": serializers.IntegerField(
            min_value=100,
            max_value=200,
            required=False,
            help_text="Scorecards: a KPI's attainment counts up to this percent of its target.",
        ),
        "balance_spread": serializers.IntegerField(
            min_value=1,
            max_value=100,
            required=False,
            help_text="Scorecards: the dimensions are balanced within this many points of each other.",
        ),
        "min_cohort_size": serializers.IntegerField(
            min_value=1,
            max_value=100,
            required=False,
            help_text="Scorecards: a card is ranked among its tier and region when they are at least this many "
            "partners, else among its tier in every region, else among the whole channel.",
        ),
        "answer_within_days": serializers.IntegerField(
            min_value=1,
            max_value=60,
            required=False,
            help_text="The vendor answers a deal registration within this many days (a vendor-side scorecard KPI).",
        ),
        "service_reminder_days": serializers.IntegerField(
            min_value=1,
            max_value=180,
            required=False,
            help_text="Installed base: reminders this many days before a service or a warranty end.",
        ),
        "remind_end_customers": serializers.BooleanField(
            required=False,
            help_text="Installed base: remind end customers too, where they agreed.",
        ),
    }


SCORECARDS = (_("Scorecards"), "scorecards:list")
INSTALLED_BASE = (_("Installed base"), "scorecards:installed-base")

#: where each setting of the page is used (the page links there under the field)
USED_BY = {
    "attainment_cap": (SCORECARDS,),
    "balance_spread": (SCORECARDS,),
    "min_cohort_size": (SCORECARDS,),
    "answer_within_days": (SCORECARDS, (_("Engagement"), "scorecards:engagement")),
    "service_reminder_days": (INSTALLED_BASE,),
    "remind_end_customers": (INSTALLED_BASE,),
}


section = ProgrammeSection(
    key=programme.KEY,
    title=_("Scorecards"),
    names=programme.NAMES,
    read=programme.read,
    validate=programme.validate,
    form_fields=form_fields,
    api_fields=api_fields,
    used_by=USED_BY,
)

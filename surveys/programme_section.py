"""Surveys' section of the programme page and of ``programme/`` (see ``prm.programme``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from prm.programme import ProgrammeSection

from . import programme


def _after_choices():
    return [
        ("off", _("nothing (no customer surveys)")),
        ("registration", _("a registered product")),
        ("deal", _("a won deal")),
        ("both", _("a registered product or a won deal")),
    ]


def form_fields() -> dict:
    return {
        "customer_survey_after": forms.ChoiceField(
            required=False,
            label=_("Customers are surveyed after"),
            choices=_after_choices(),
            help_text=_("Only customers who agreed to be contacted, with an e-mail address."),
        ),
        "customer_survey_delay_days": forms.IntegerField(
            required=False,
            min_value=0,
            max_value=365,
            label=_("Customer surveys: days after the registration or the win"),
        ),
        "customer_survey_reminder_days": forms.IntegerField(
            required=False,
            min_value=0,
            max_value=60,
            label=_("Customer surveys: one reminder after this many days (0: none)"),
        ),
        "customer_survey_link_days": forms.IntegerField(
            required=False, min_value=1, max_value=365, label=_("Customer surveys: the link works for (days)")
        ),
        "survey_min_group": forms.IntegerField(
            required=False,
            min_value=1,
            max_value=50,
            label=_("Partner survey results: the smallest group shown"),
            help_text=_("A tier, region or operating model with fewer answers shows none of them."),
        ),
    }


def api_fields() -> dict:
    return {
        "customer_survey_after": serializers.ChoiceField(
            choices=list(programme.SURVEY_AFTER),
            required=False,
            help_text="What a customer survey follows: off, registration, deal or both.",
        ),
        "customer_survey_delay_days": serializers.IntegerField(
            min_value=0,
            max_value=365,
            required=False,
            help_text="Days after the registration's date or the win.",
        ),
        "customer_survey_reminder_days": serializers.IntegerField(
            min_value=0, max_value=60, required=False, help_text="One reminder after this many days; 0: none."
        ),
        "customer_survey_link_days": serializers.IntegerField(
            min_value=1, max_value=365, required=False, help_text="How long a customer survey's link works."
        ),
        "survey_min_group": serializers.IntegerField(
            min_value=1,
            max_value=50,
            required=False,
            help_text="Partner survey results: a group with fewer answers shows no answers or comments.",
        ),
    }


CUSTOMER = (_("Customer surveys"), "surveys:customer-list")
PARTNER = (_("Partner surveys"), "surveys:partner-list")

section = ProgrammeSection(
    key=programme.KEY,
    title=_("Surveys"),
    names=programme.NAMES,
    read=programme.read,
    validate=programme.validate,
    form_fields=form_fields,
    api_fields=api_fields,
    used_by={
        "customer_survey_after": (CUSTOMER,),
        "customer_survey_delay_days": (CUSTOMER,),
        "customer_survey_reminder_days": (CUSTOMER,),
        "customer_survey_link_days": (CUSTOMER,),
        "survey_min_group": (PARTNER,),
    },
)

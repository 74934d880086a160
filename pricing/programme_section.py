"""Price discipline's section of the programme page and of ``programme/`` (see ``prm.programme``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from prm.programme import ProgrammeSection

from . import programme


def form_fields() -> dict:
    return {
        "below_minimum_earns": forms.BooleanField(
            required=False,
            label=_("Sales below the tier's minimum resale price earn incentives"),
            help_text=_("Off: payout runs leave such sales out, and their warning says so."),
        ),
        "breach_days": forms.IntegerField(
            required=False,
            min_value=1,
            max_value=programme.MAX_DAYS,
            label=_("Price breaches count against a partner's health for (days)"),
            help_text=_("A sale below the minimum or a deal registered below the discount band."),
        ),
    }


def api_fields() -> dict:
    return {
        "below_minimum_earns": serializers.BooleanField(
            required=False,
            help_text="Sales below the tier's minimum resale price earn incentives (the run warns); "
            "false: payout runs leave them out (default true).",
        ),
        "breach_days": serializers.IntegerField(
            min_value=1,
            max_value=programme.MAX_DAYS,
            required=False,
            help_text="A price breach within this many days is a health signal of the partner (default 90).",
        ),
    }


section = ProgrammeSection(
    key=programme.KEY,
    title=_("Price discipline"),
    names=programme.NAMES,
    read=programme.read,
    validate=programme.validate,
    form_fields=form_fields,
    api_fields=api_fields,
    used_by={
        "below_minimum_earns": ((_("Payout runs"), "incentives:runs"),),
        "breach_days": ((_("Price list"), "pricing:prices"),),
    },
)

"""The catalogue's section of the programme page and of ``programme/`` (see ``prm.programme``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from prm.programme import ProgrammeSection

from . import programme


def form_fields() -> dict:
    return {
        "points_expiry_months": forms.IntegerField(
            required=False,
            min_value=0,
            max_value=programme.MAX_MONTHS,
            label=_("Points expire after this many months (0: never)"),
            help_text=_(
                "The oldest points are spent first and expire first; partners' users are warned by "
                "e-mail 30 days before."
            ),
        ),
    }


def api_fields() -> dict:
    return {
        "points_expiry_months": serializers.IntegerField(
            min_value=0,
            max_value=programme.MAX_MONTHS,
            required=False,
            help_text="Points expire this many months after they were earned, oldest first (FIFO); 0: never. "
            "Partners' users are e-mailed 30 days before.",
        ),
    }


section = ProgrammeSection(
    key=programme.KEY,
    title=_("Rewards catalogue"),
    names=programme.NAMES,
    read=programme.read,
    validate=programme.validate,
    form_fields=form_fields,
    api_fields=api_fields,
    used_by={"points_expiry_months": ((_("Rewards"), "catalogue:rewards"),)},
)

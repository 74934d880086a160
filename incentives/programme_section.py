"""Incentives' section of the programme page and of ``programme/`` (see ``prm.programme``): the
page's and the API's fields of ``incentives.programme``'s settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from prm.programme import ProgrammeSection

from . import programme
from .programme import MDF_OVER_CLAIM


def form_fields() -> dict:
    return {
        "jump_factor": forms.FloatField(
            required=False,
            label=_("Payout runs: warn above this many times a partner's earlier average"),
            min_value=1.01,
        ),
        "jump_minimum": forms.IntegerField(
            required=False,
            label=_("Payout runs: … and above this amount"),
            min_value=0,
            help_text=_("In the tenant's currency."),
        ),
        "pay_unsigned_partners": forms.BooleanField(
            label=_("Payout runs pay partners that are not signed yet (with a warning)"), required=False
        ),
        "mdf_over_claim": forms.ChoiceField(
            required=False,
            label=_("An MDF claim above what remains of its request"),
            choices=[
                ("refuse", _("is refused")),
                ("pay_remaining", _("is paid up to what remains; the rest stays open")),
            ],
        ),
    }


def api_fields() -> dict:
    return {
        "jump_factor": serializers.FloatField(
            min_value=1.01,
            required=False,
            help_text="Payout runs warn when a partner's total exceeds this many times its earlier average …",
        ),
        "jump_minimum": serializers.IntegerField(
            min_value=0, required=False, help_text="… and this amount, in the tenant's currency."
        ),
        "pay_unsigned_partners": serializers.BooleanField(
            required=False,
            help_text="Payout runs pay partners not signed yet (with a warning); false: signed only.",
        ),
        "mdf_over_claim": serializers.ChoiceField(
            choices=list(MDF_OVER_CLAIM),
            required=False,
            help_text="An MDF claim above what remains of its request is refused, or paid up to what remains "
            "with the rest kept open as the claim's balance.",
        ),
    }


RUNS = (_("Payout runs"), "incentives:runs")

#: where each setting of the page is used (the page links there under the field)
USED_BY = {
    "jump_factor": (RUNS,),
    "jump_minimum": (RUNS,),
    "pay_unsigned_partners": (RUNS,),
    "mdf_over_claim": ((_("MDF"), "incentives:mdf"),),
}


section = ProgrammeSection(
    key=programme.KEY,
    title=_("Incentives"),
    names=programme.NAMES,
    read=programme.read,
    validate=programme.validate,
    form_fields=form_fields,
    api_fields=api_fields,
    used_by=USED_BY,
)

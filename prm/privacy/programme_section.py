"""Personal data's section of the programme page and of ``programme/`` (see ``prm.programme``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from prm.programme import ProgrammeSection

from . import programme


def form_fields() -> dict:
    return {
        "audit_retention_months": forms.IntegerField(
            required=False,
            label=_("Delete audit entries older than (months)"),
            min_value=0,
            max_value=programme.MAX_MONTHS,
            help_text=_("0: keep them forever. Applied every night."),
        ),
        "lost_partner_retention_months": forms.IntegerField(
            required=False,
            label=_("Erase the people of partners lost more than (months) ago"),
            min_value=0,
            max_value=programme.MAX_MONTHS,
            help_text=_("Their contacts, partner users and applications are anonymised. 0: never."),
        ),
        "sent_mail_retention_months": forms.IntegerField(
            required=False,
            label=_("Delete copies of sent e-mails older than (months)"),
            min_value=0,
            max_value=programme.MAX_MONTHS,
            help_text=_("The Sent mail page's copies hold addresses and texts. 0: keep them forever."),
        ),
    }


def api_fields() -> dict:
    return {
        "audit_retention_months": serializers.IntegerField(
            min_value=0,
            max_value=programme.MAX_MONTHS,
            required=False,
            help_text="Audit entries older than this many months are deleted by the daily job (0: kept forever).",
        ),
        "lost_partner_retention_months": serializers.IntegerField(
            min_value=0,
            max_value=programme.MAX_MONTHS,
            required=False,
            help_text="The contacts, partner users and applications of a partner lost more than this many "
            "months ago are erased by the daily job (0: never).",
        ),
        "sent_mail_retention_months": serializers.IntegerField(
            min_value=0,
            max_value=programme.MAX_MONTHS,
            required=False,
            help_text="Copies of sent e-mails (sent-mail/) older than this many months are deleted by the "
            "daily job (0: kept forever).",
        ),
    }


section = ProgrammeSection(
    key=programme.KEY,
    title=_("Personal data"),
    names=programme.NAMES,
    read=programme.read,
    validate=programme.validate,
    form_fields=form_fields,
    api_fields=api_fields,
    used_by={
        "audit_retention_months": ((_("Audit trail"), "audit:list"),),
        "lost_partner_retention_months": ((_("Personal data"), "privacy:personal-data"),),
        "sent_mail_retention_months": ((_("Sent mail"), "notifications:sent-list"),),
    },
)

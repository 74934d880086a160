"""Visits' programme settings: the preparation checklist and key partners' leadership meeting.

Stored under ``tenant.programme_settings["visits"]``; anything missing falls back to the playbook's
defaults (``partners.visiting.script.DEFAULT_CHECKLIST``). ``visits_programme_for(tenant)`` reads
them; ``section`` shows them on the programme page and in ``programme/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from partners.visiting.script import DEFAULT_CHECKLIST
from prm.programme import ProgrammeSection, stored_section

KEY = "visits"
NAMES = ("visit_checklist", "key_partner_meeting")
#: the longest checklist and item a tenant may write
MAX_ITEMS, MAX_ITEM_LENGTH = 30, 200


@dataclass(frozen=True)
class VisitProgramme:
    #: What to prepare before a first visit, in order.
    visit_checklist: tuple = field(default_factory=lambda: tuple(str(item) for item in DEFAULT_CHECKLIST))
    #: Partners marked key need a senior-leadership meeting with agreed points before *signed*.
    key_partner_meeting: bool = False


def read(stored: dict) -> VisitProgramme:
    defaults = VisitProgramme()
    checklist = stored.get("visit_checklist")
    return VisitProgramme(
        visit_checklist=tuple(checklist) if checklist else defaults.visit_checklist,
        key_partner_meeting=bool(stored.get("key_partner_meeting", defaults.key_partner_meeting)),
    )


def visits_programme_for(tenant) -> VisitProgramme:
    return read(stored_section(tenant, KEY))


def validate(values: dict) -> dict:
    errors = {}
    if "visit_checklist" in values:
        items = values["visit_checklist"]
        if (
            not isinstance(items, list | tuple)
            or not items
            or len(items) > MAX_ITEMS
            or any(not isinstance(i, str) or not i.strip() or len(i) > MAX_ITEM_LENGTH for i in items)
        ):
            errors["visit_checklist"] = [
                _("From 1 to %(n)d items of up to %(c)d characters each.")
                % {"n": MAX_ITEMS, "c": MAX_ITEM_LENGTH}
            ]
    return errors


def store(before: dict, values: dict) -> dict:
    stored = {**before, **values}
    if "visit_checklist" in values:
        stored["visit_checklist"] = [item.strip() for item in values["visit_checklist"]]
    return stored


def form_fields() -> dict:
    return {
        "visit_checklist": forms.CharField(
            label=gettext_lazy("Before a first visit, prepare (one item a line)"),
            widget=forms.Textarea(attrs={"rows": 8}),
            help_text=gettext_lazy(
                "Each new visit plan starts with this checklist, ticked on the plan's page."
            ),
        ),
        "key_partner_meeting": forms.BooleanField(
            required=False,
            label=gettext_lazy(
                "Key partners need a senior-leadership meeting with agreed points before signed"
            ),
        ),
    }


def form_initial(settings: VisitProgramme) -> dict:
    return {
        "visit_checklist": "\n".join(settings.visit_checklist),
        "key_partner_meeting": settings.key_partner_meeting,
    }


def form_values(data: dict) -> dict:
    lines = [line.strip() for line in (data.get("visit_checklist") or "").splitlines() if line.strip()]
    values = {"key_partner_meeting": bool(data.get("key_partner_meeting"))}
    if lines:
        values["visit_checklist"] = lines
    return values


def api_fields() -> dict:
    return {
        "visit_checklist": serializers.ListField(
            child=serializers.CharField(max_length=MAX_ITEM_LENGTH),
            allow_empty=False,
            max_length=MAX_ITEMS,
            required=False,
            help_text="What to prepare before a first visit, in order; each new visit plan starts with it.",
        ),
        "key_partner_meeting": serializers.BooleanField(
            required=False,
            help_text="Partners marked key need a senior-leadership meeting with agreed points before signed.",
        ),
    }


def api_body(settings: VisitProgramme) -> dict:
    return {
        "visit_checklist": list(settings.visit_checklist),
        "key_partner_meeting": settings.key_partner_meeting,
    }


PLANS = (gettext_lazy("Visit plans"), "partners:visit-day")
section = ProgrammeSection(
    key=KEY,
    title=gettext_lazy("Visits"),
    names=NAMES,
    read=read,
    validate=validate,
    store=store,
    form_fields=form_fields,
    api_fields=api_fields,
    form_initial=form_initial,
    form_values=form_values,
    api_body=api_body,
    used_by={
        "visit_checklist": (PLANS,),
        "key_partner_meeting": ((gettext_lazy("Pipeline board"), "partners:board"),),
    },
)

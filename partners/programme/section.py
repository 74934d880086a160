"""Partners' section of the programme page and of ``programme/`` (see ``prm.programme``).

The settings themselves, their defaults and validation are ``partners.programme.settings``'s; this module
says how they look: the page's fields (time boxes, deal protection, selling stages, tiering with
its weights, thresholds, gate minimums and tier table, health and the visit cadence) and the API's.
Nested settings become one page field each (``box_<stage>``, ``weight_<input>``,
``threshold_<axis>``, ``min_<assessment>__<criterion>``, ``tier_<row>``).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from partners.choices import PIPELINE, AssessmentKind, Stage, Tier
from partners.lifecycle.criteria import CRITERIA
from partners.programme import settings as programme
from partners.programme.settings import (
    DEFAULT_GATE_MINIMUMS,
    DEFAULT_TIER_TABLE,
    DEFAULT_WILLINGNESS_WEIGHTS,
    NAMED_ROWS,
    tier_key_words,
    willingness_input_labels,
)
from partners.tiering.rule import AXES
from prm.programme import ProgrammeSection

#: the stages with a time box (every stage of the pipeline before the last)
BOXED_STAGES = PIPELINE[:-1]
#: plain settings: one page field each, left unchanged when the field is empty
PLAIN = ("revenue_weight", "visit_cadence_per_day", "health_quiet_days", "health_return_amount")


def form_fields() -> dict:
    fields = {
        "protection_days": forms.IntegerField(label=_("Deal protection (days)"), min_value=1, max_value=730),
        "deals_auto_win": forms.BooleanField(
            label=_("A booked sale wins the partner's open registration for that customer"), required=False
        ),
        "tier_window_days": forms.IntegerField(
            label=_("Tier window (days of data)"), min_value=30, max_value=1095
        ),
        "assessment_weight": forms.FloatField(
            label=_("Weight of the manager's assessment (0–1)"),
            min_value=0,
            max_value=1,
            help_text=_("The rest of each axis comes from measured data."),
        ),
        "revenue_weight": forms.FloatField(
            required=False,
            label=_("Weight of revenue in competitiveness (0–1)"),
            min_value=0,
            max_value=1,
            help_text=_("The revenue percentile counts this much, the win rate the rest."),
        ),
        "selling_stages": forms.MultipleChoiceField(
            label=_("Stages that may register deals and be booked sales"),
            choices=Stage.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("A refused registration or sale names the stage."),
        ),
        "visit_cadence_per_day": forms.IntegerField(
            required=False,
            label=_("Cadence: new candidates a channel manager visits per working day"),
            min_value=0,
            max_value=20,
            help_text=_("The team report measures each manager's weeks against it."),
        ),
        "health_quiet_days": forms.IntegerField(
            required=False,
            label=_("Health: a selling partner is quiet after (days without a sale or registration)"),
            min_value=7,
            max_value=730,
        ),
        "health_return_amount": forms.IntegerField(
            required=False,
            label=_("Health: warn of a return of at least"),
            min_value=0,
            help_text=_("In the tenant's currency, within the last 90 days."),
        ),
    }
    for stage in BOXED_STAGES:
        fields[f"box_{stage}"] = forms.IntegerField(
            label=_("Time box: %(stage)s (days)") % {"stage": Stage(stage).label},
            min_value=0,
            required=False,
            help_text=_("Empty or 0: no time box."),
        )
    labels = willingness_input_labels()
    for name in DEFAULT_WILLINGNESS_WEIGHTS:
        fields[f"weight_{name}"] = forms.FloatField(
            label=_("Willingness: weight of %(input)s (0–10)") % {"input": labels[name]},
            min_value=0,
            max_value=10,
            required=False,
            help_text=_("0: not counted."),
        )
    for axis in AXES:
        fields[f"threshold_{axis}"] = forms.FloatField(
            label=_("Threshold: %(axis)s (0–100)") % {"axis": _(axis)}, min_value=0, max_value=100
        )
    for kind in DEFAULT_GATE_MINIMUMS:
        for criterion, label in CRITERIA[kind].items():
            fields[f"min_{kind}__{criterion}"] = forms.IntegerField(
                label=_("Minimum rating (%(assessment)s): %(criterion)s")
                % {"assessment": AssessmentKind(kind).label, "criterion": label},
                min_value=0,
                max_value=5,
                required=False,
                help_text=_("0 or empty: no minimum. Below it, the partner does not pass the gate."),
            )
    for key in DEFAULT_TIER_TABLE:
        words = tier_key_words(key)
        fields[f"tier_{key}"] = forms.ChoiceField(
            label=_("Tier when competitiveness is %(c)s, willingness %(w)s, autonomy %(a)s")
            % {"c": words["competitiveness"], "w": words["willingness"], "a": words["autonomy"]},
            choices=Tier.choices,
            help_text=_("A row of the playbook's table.") if key in NAMED_ROWS else _("A fill-in."),
        )
    return fields


def form_initial(settings: programme.PartnerProgramme) -> dict:
    return {
        "protection_days": settings.protection_days,
        "deals_auto_win": settings.deals_auto_win,
        "tier_window_days": settings.tier_window_days,
        "assessment_weight": settings.assessment_weight,
        "selling_stages": list(settings.selling_stages),
        **{name: getattr(settings, name) for name in PLAIN},
        **{f"box_{stage}": settings.time_boxes.get(stage) or None for stage in BOXED_STAGES},
        **{f"weight_{name}": weight for name, weight in settings.willingness_weights.items()},
        **{f"threshold_{axis}": value for axis, value in settings.thresholds.items()},
        **{f"tier_{key}": tier for key, tier in settings.tier_table.items()},
        **{
            f"min_{kind}__{criterion}": minimum or None
            for kind, criteria in settings.gate_minimums.items()
            for criterion, minimum in criteria.items()
        },
    }


def form_values(data: dict) -> dict:
    """Partners' values from the page's cleaned data (an empty plain field or weight: unchanged;
    an empty time box or minimum: none)."""
    return {
        "protection_days": data["protection_days"],
        "deals_auto_win": data["deals_auto_win"],
        "tier_window_days": data["tier_window_days"],
        "assessment_weight": data["assessment_weight"],
        "selling_stages": data["selling_stages"],
        **{name: data[name] for name in PLAIN if data.get(name) not in (None, "")},
        "willingness_weights": {
            name: data[f"weight_{name}"]
            for name in DEFAULT_WILLINGNESS_WEIGHTS
            if data.get(f"weight_{name}") is not None
        },
        "time_boxes": {stage: data.get(f"box_{stage}") or 0 for stage in BOXED_STAGES},
        "thresholds": {axis: data[f"threshold_{axis}"] for axis in AXES},
        "tier_table": {key: data[f"tier_{key}"] for key in DEFAULT_TIER_TABLE},
        "gate_minimums": {
            kind: {criterion: data.get(f"min_{kind}__{criterion}") or 0 for criterion in CRITERIA[kind]}
            for kind in DEFAULT_GATE_MINIMUMS
        },
    }


def _known(words: str, known):
    """A validator of a dict's keys: each one of ``known`` (the API's message names the others)."""

    def check(value):
        unknown = sorted(set(value) - set(known))
        if unknown:
            raise serializers.ValidationError(f"Unknown {words}: {', '.join(unknown)}.")

    return check


def api_fields() -> dict:
    return {
        "time_boxes": serializers.DictField(
            child=serializers.IntegerField(min_value=0),
            required=False,
            validators=[_known("stages", PIPELINE)],
            help_text="Days allowed per stage ({stage: days}); 0 means no time box.",
        ),
        "protection_days": serializers.IntegerField(min_value=1, max_value=730, required=False),
        "deals_auto_win": serializers.BooleanField(required=False),
        "tier_window_days": serializers.IntegerField(min_value=30, max_value=1095, required=False),
        "assessment_weight": serializers.FloatField(min_value=0, max_value=1, required=False),
        "thresholds": serializers.DictField(
            child=serializers.FloatField(min_value=0, max_value=100),
            required=False,
            validators=[_known("axes", AXES)],
        ),
        "tier_table": serializers.DictField(
            child=serializers.ChoiceField(choices=["A", "B", "C", "D"]),
            required=False,
            help_text='Any of the eight rows, e.g. {"SLW": "C"}; see tier_rows for the whole table in words.',
        ),
        "gate_minimums": serializers.DictField(
            child=serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=5)),
            required=False,
            help_text="Lowest rating per criterion of the latest assessment to pass a gate: "
            '{"selection": {"integrity": 3}, "strategic": {…}}; 0 means no minimum.',
        ),
        "revenue_weight": serializers.FloatField(
            min_value=0,
            max_value=1,
            required=False,
            help_text="Share of the revenue percentile in measured competitiveness; the win rate has the rest.",
        ),
        "selling_stages": serializers.ListField(
            child=serializers.ChoiceField(choices=Stage.choices),
            allow_empty=False,
            required=False,
            help_text="Stages whose partners may register deals and be booked sales (default strategic and later).",
        ),
        "willingness_weights": serializers.DictField(
            child=serializers.FloatField(min_value=0, max_value=10),
            required=False,
            validators=[_known("inputs", DEFAULT_WILLINGNESS_WEIGHTS)],
            help_text="Weight of each input of measured willingness: registrations, visits (met their goal), "
            "training (required courses valid), leads (accepted); 0 leaves one out.",
        ),
        "visit_cadence_per_day": serializers.IntegerField(
            min_value=0,
            max_value=20,
            required=False,
            help_text="The playbook's cadence: new candidates a channel manager visits per working day (team report).",
        ),
        "health_quiet_days": serializers.IntegerField(
            min_value=7,
            max_value=730,
            required=False,
            help_text="Health: a selling partner with no sale and no deal registration for this many days is quiet.",
        ),
        "health_return_amount": serializers.IntegerField(
            min_value=0,
            required=False,
            help_text="Health: a return of at least this amount (tenant currency, last 90 days) is a warning.",
        ),
    }


def api_body(settings: programme.PartnerProgramme) -> dict:
    body = {name: getattr(settings, name) for name in programme.NAMES}
    body["time_boxes"] = {stage: days or 0 for stage, days in settings.time_boxes.items()}
    body["selling_stages"] = list(settings.selling_stages)
    return body


DEALS = (_("Deal registrations"), "partners:deals")
TIERS = (_("Tiers"), "partners:tiers")
BOARD = (_("Pipeline board"), "partners:board")

#: where each setting of the page is used (the page links there under the field)
USED_BY = {
    "protection_days": (DEALS,),
    "deals_auto_win": (DEALS, (_("Sales"), "partners:sales")),
    "selling_stages": (DEALS, (_("Sales"), "partners:sales")),
    "tier_window_days": (TIERS,),
    "assessment_weight": (TIERS,),
    "revenue_weight": (TIERS,),
    "weight_*": (TIERS,),
    "threshold_*": (TIERS,),
    "tier_*": (TIERS,),
    "visit_cadence_per_day": ((_("Activity"), "partners:activity"),),
    "health_quiet_days": ((_("Partners"), "partners:list"),),
    "health_return_amount": ((_("Partners"), "partners:list"),),
    "box_*": (BOARD,),
    "min_*": (BOARD,),
}


section = ProgrammeSection(
    key=programme.KEY,
    title=_("Partners"),
    names=programme.NAMES,
    read=programme.read,
    validate=programme.validate,
    store=programme.store,
    form_fields=form_fields,
    api_fields=api_fields,
    form_initial=form_initial,
    form_values=form_values,
    api_body=api_body,
    used_by=USED_BY,
)

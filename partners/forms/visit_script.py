"""Preparing a visit (its plan and checklist) and recording it by the playbook's script."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.choices import ObjectionType, VisitKind
from partners.forms.visits import VisitForm
from partners.visiting.script import CONCERNS, STEPS

RATINGS = [("", "—"), *[(str(i), str(i)) for i in range(1, 6)]]


class VisitPlanForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    area = forms.CharField(
        label=_("Area"),
        required=False,
        max_length=100,
        help_text=_("Where on the day's round (empty: the partner's region)."),
    )
    goal = forms.CharField(label=_("Goal of the visit"), widget=forms.Textarea(attrs={"rows": 2}))


class ChecklistForm(forms.Form):
    """One box per item of a plan's checklist (``done_<position>``)."""

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        for index, entry in enumerate(plan.checklist):
            self.fields[f"done_{index}"] = forms.BooleanField(
                label=entry["item"], required=False, initial=entry.get("done", False)
            )

    def done(self) -> list[int]:
        return [int(name[5:]) for name, value in self.cleaned_data.items() if value]


class ScriptedVisitForm(VisitForm):
    """The visit form that follows the script: each step done with a note, the objection's step,
    the four concerns rated, where a missed goal stopped and why, a leadership meeting's agreed points."""

    stopped_at = forms.ChoiceField(label=_("If the goal was not reached: at which step"), required=False)
    missed_why = forms.CharField(
        label=_("If the goal was not reached: why"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    agreed_points = forms.CharField(
        label=_("Agreed points (senior-leadership meeting: the market plan and the policy)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        steps = [("", "—"), *STEPS.items()]
        self.fields["stopped_at"].choices = steps
        for key, label in STEPS.items():
            self.fields[f"step_{key}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"step_{key}_note"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.TextInput(attrs={"aria-label": label})
            )
        for key, label in CONCERNS.items():
            self.fields[f"concern_{key}"] = forms.TypedChoiceField(
                label=label, choices=RATINGS, coerce=int, empty_value=None, required=False
            )
        for value in ObjectionType.values:
            self.fields[f"objection_{value}_step"] = forms.ChoiceField(
                label=_("Raised at the step"), choices=steps, required=False
            )
        if self.initial.get("kind") is None:
            self.fields["kind"].initial = VisitKind.VISIT

    def step_rows(self):
        return [(self[f"step_{key}"], self[f"step_{key}_note"]) for key in STEPS]

    def concern_fields(self):
        return [self[f"concern_{key}"] for key in CONCERNS]

    def objection_rows(self):
        return [
            (self[f"objection_{value}"], self[f"objection_{value}_step"]) for value in ObjectionType.values
        ]

    def outcome_fields(self):
        return [self[name] for name in ("stopped_at", "missed_why", "agreed_points")]

    def objections(self) -> list[dict]:
        return [
            {**row, "step": self.cleaned_data.get(f"objection_{row['type']}_step", "")}
            for row in super().objections()
        ]

    def script(self) -> dict:
        return {
            key: {"done": self.cleaned_data[f"step_{key}"], "note": self.cleaned_data[f"step_{key}_note"]}
            for key in STEPS
            if self.cleaned_data.get(f"step_{key}") or self.cleaned_data.get(f"step_{key}_note", "").strip()
        }

    def concerns(self) -> dict:
        return {
            key: self.cleaned_data[f"concern_{key}"]
            for key in CONCERNS
            if self.cleaned_data.get(f"concern_{key}") is not None
        }

    def outcome(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("stopped_at", "missed_why", "agreed_points")}

"""Visits and assessments."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.choices import ObjectionType, VisitKind
from partners.lifecycle.criteria import CANDIDATE_NEEDS, CRITERIA


class VisitForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    summary = forms.CharField(
        label=_("Summary: feedback and concerns"), widget=forms.Textarea(attrs={"rows": 4})
    )
    goal_met = forms.BooleanField(label=_("The goal of the visit was met"), required=False)
    next_step = forms.CharField(
        label=_("Next step"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    make_target = forms.BooleanField(label=_("Make it a target partner"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["kind"].choices = VisitKind.choices
        for value, label in ObjectionType.choices:
            self.fields[f"objection_{value}"] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
                help_text=_("What was said, if this objection came up."),
            )

    def objections(self) -> list[dict]:
        return [
            {"type": value, "note": self.cleaned_data[f"objection_{value}"]}
            for value in ObjectionType.values
            if self.cleaned_data.get(f"objection_{value}", "").strip()
        ]

    def objection_fields(self):
        return [self[f"objection_{value}"] for value in ObjectionType.values]

    def visit_fields(self):
        return [self[name] for name in ("date", "kind", "summary", "goal_met", "next_step", "make_target")]


class AssessmentForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        scores = [(i, str(i)) for i in range(1, 6)]
        for key, label in CRITERIA[kind].items():
            self.fields[f"score_{key}"] = forms.TypedChoiceField(
                label=label, choices=scores, coerce=int, widget=forms.RadioSelect
            )
            self.fields[f"note_{key}"] = forms.CharField(label=_("Note"), required=False)
        if kind == "selection":
            self.fields["needs"] = forms.MultipleChoiceField(
                label=_("What the candidate needs from us"),
                required=False,
                choices=list(CANDIDATE_NEEDS.items()),
                widget=forms.CheckboxSelectMultiple,
            )

    def criteria(self):
        return [(self[f"score_{key}"], self[f"note_{key}"]) for key in CRITERIA[self.kind]]

    def ratings(self) -> dict:
        return {
            key: {"score": self.cleaned_data[f"score_{key}"], "note": self.cleaned_data[f"note_{key}"]}
            for key in CRITERIA[self.kind]
        }

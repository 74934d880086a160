"""Forms of surveys: the public answer forms (radio buttons 0–10, no JavaScript) and a new round."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.choices import OperatingModel, Tier

from .choices import MAX_QUESTIONS, QuestionKind

SCALE = [(str(n), str(n)) for n in range(11)]


class ScoreForm(forms.Form):
    """The one question, 0–10 as radio buttons, and an optional comment."""

    score = forms.TypedChoiceField(choices=SCALE, coerce=int, widget=forms.RadioSelect, label=_("Your score"))
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Anything to add? (optional)"),
    )


class PartnerAnswerForm(ScoreForm):
    """The recommend question, then one field per extra question of the round."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        for i, question in enumerate(survey.questions):
            name = f"q{i}"
            if question["kind"] == QuestionKind.SCALE:
                field = forms.ChoiceField(choices=SCALE, widget=forms.RadioSelect, required=False)
            elif question["kind"] == QuestionKind.YESNO:
                field = forms.ChoiceField(
                    choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect, required=False
                )
            else:
                field = forms.CharField(
                    required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
                )
            field.label = question["text"]
            self.fields[name] = field
        self.order_fields(["score", *[f"q{i}" for i in range(len(survey.questions))], "comment"])

    def answers(self) -> list:
        return [self.cleaned_data.get(f"q{i}") for i in range(len(self.survey.questions))]


class PartnerSurveyForm(forms.Form):
    """A new round: its title, the groups it goes to, how long it is open, and up to five questions."""

    title = forms.CharField(max_length=200, label=_("Title"))
    tiers = forms.MultipleChoiceField(
        choices=Tier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Tiers (none: all)"),
    )
    regions = forms.CharField(required=False, label=_("Regions, comma-separated (empty: all)"))
    operating_models = forms.MultipleChoiceField(
        choices=OperatingModel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Operating models (none: all)"),
    )
    link_days = forms.IntegerField(
        min_value=1, max_value=180, initial=21, label=_("Answers accepted for (days)")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(MAX_QUESTIONS):
            self.fields[f"question_{i}"] = forms.CharField(
                required=False, max_length=300, label=_("Question %(n)d (optional)") % {"n": i + 2}
            )
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                choices=QuestionKind.choices, required=False, label=_("Answered as")
            )

    def question_pairs(self):
        """(question field, kind field) per row, for the template."""
        return [(self[f"question_{i}"], self[f"kind_{i}"]) for i in range(MAX_QUESTIONS)]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "tiers": data["tiers"],
            "regions": [r.strip() for r in data["regions"].split(",") if r.strip()],
            "operating_models": data["operating_models"],
            "link_days": data["link_days"],
            "questions": [
                {"text": data[f"question_{i}"], "kind": data[f"kind_{i}"] or QuestionKind.SCALE}
                for i in range(MAX_QUESTIONS)
                if data.get(f"question_{i}")
            ],
        }

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import RewardKind

#: The form's fields, one per rank, most preferred first.
RANKS = [
    ("first", _("What you prefer most")),
    ("second", _("Then")),
    ("third", _("Then")),
    ("fourth", _("Then")),
]


class PreferenceForm(forms.Form):
    """The partner's preferred kinds of reward, one choice per rank (blank ranks end the list)."""

    def __init__(self, *args, kinds=None, **kwargs):
        initial = {name: kind for (name, _label), kind in zip(RANKS, kinds or [], strict=False)}
        super().__init__(*args, initial=initial, **kwargs)
        choices = [("", _("(nothing more)")), *RewardKind.choices]
        for name, label in RANKS:
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)

    def clean(self):
        data = super().clean()
        kinds = [data.get(name) for name, _label in RANKS if data.get(name)]
        if len(set(kinds)) != len(kinds):
            raise forms.ValidationError(_("Name each kind of reward once."))
        data["kinds"] = kinds
        return data

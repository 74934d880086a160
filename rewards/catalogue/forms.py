from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partners.choices import Tier
from rewards.preferences.choices import RewardKind

from .choices import FULFILMENT, ItemKind, RedemptionStatus


class RewardItemForm(forms.Form):
    """A reward of the catalogue, with a description field per language."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    points = forms.IntegerField(label=_("Points price"), min_value=1)
    stock = forms.IntegerField(label=_("Stock (empty: unlimited)"), min_value=0, required=False)
    available_from = forms.DateField(
        label=_("Available from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    available_until = forms.DateField(
        label=_("Available until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tiers = forms.MultipleChoiceField(
        label=_("Tiers allowed (none ticked: every tier)"),
        choices=Tier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    for_preferences = forms.MultipleChoiceField(
        label=_("For partners who prefer"),
        choices=RewardKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They see it first, marked “For you”."),
    )
    preferences_only = forms.BooleanField(label=_("Offered only to those partners"), required=False)
    active = forms.BooleanField(label=_("Offered"), required=False, initial=True)
    picture = forms.FileField(label=_("Picture (PNG or JPEG)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @classmethod
    def initial_of(cls, item) -> dict:
        initial = {
            name: getattr(item, name)
            for name in (
                "name",
                "kind",
                "points",
                "stock",
                "available_from",
                "available_until",
                "tiers",
                "for_preferences",
                "preferences_only",
                "active",
            )
        }
        initial.update({f"description_{code}": text for code, text in (item.description or {}).items()})
        return initial

    def values(self) -> dict:
        """The service's keyword arguments: the fields, the descriptions as one dict, the picture."""
        data = dict(self.cleaned_data)
        data["description"] = {
            code: data.pop(f"description_{code}").strip()
            for code, _name in settings.LANGUAGES
            if data.get(f"description_{code}", "").strip()
        }
        for code, _name in settings.LANGUAGES:
            data.pop(f"description_{code}", None)
        data["picture"] = data.get("picture") or None
        return data


class RedeemForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=20, initial=1)
    note = forms.CharField(
        label=_("Delivery details"),
        required=False,
        max_length=1000,
        help_text=_("Where to send it, dates for travel or a seat, the cause for a donation."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class FulfilForm(NoteForm):
    status = forms.ChoiceField(
        label=_("Step"), choices=[(s.value, RedemptionStatus(s).label) for s in FULFILMENT]
    )


class RedemptionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *RedemptionStatus.choices], required=False
    )

"""Tiers: the override of a computed tier, and what each tier gives."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.choices import BenefitKind, Tier


class TierOverrideForm(forms.Form):
    tier = forms.ChoiceField(
        label=_("Tier"), choices=[("", _("Remove the override")), *Tier.choices], required=False
    )
    reason = forms.CharField(label=_("Why"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TierBenefitForm(forms.Form):
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=BenefitKind.choices)
    value = forms.DecimalField(
        label=_("Value"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("The number in the kind's unit (points, percent, hours, weight, seats)."),
    )
    description = forms.CharField(label=_("What the partner gets"), max_length=300)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)

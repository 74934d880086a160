from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import LeadStatus


class LeadForm(forms.Form):
    """A lead entered by staff, or sent on the public find-a-partner form."""

    customer = forms.CharField(label=_("Customer (company)"), max_length=200)
    contact_name = forms.CharField(label=_("Contact"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=50, required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    product = forms.CharField(label=_("Product of interest"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What the customer needs"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    expected_amount = forms.DecimalField(
        label=_("Expected amount"), min_value=0, max_digits=14, decimal_places=2, required=False
    )


class PublicLeadForm(LeadForm):
    """The public form: no amount; ``website`` is a honeypot that people leave empty."""

    expected_amount = None
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        label=_("Leave this empty"),
    )


class LeadFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", _("Any status")), *LeadStatus.choices], required=False)


class LeadImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: external_id, customer, contact_name, contact_email, contact_phone, region, industry, "
            "product, description, expected_amount, currency, language"
        ),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500)


class LeadRuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.IntegerField(label=_("Position"), min_value=0, initial=0)
    regions = forms.CharField(label=_("Lead regions (comma-separated; empty: any)"), required=False)
    industries = forms.CharField(label=_("Lead industries (comma-separated; empty: any)"), required=False)
    match_region = forms.BooleanField(
        label=_("The partner's region must be the lead's"), required=False, initial=True
    )
    match_industry = forms.BooleanField(label=_("The partner's industry must be the lead's"), required=False)
    # empty: the tier's lead priority (tier benefits), else A 4, B 3, C 2, D 1
    weight_A = forms.IntegerField(
        label=_("Weight of tier A"),
        min_value=0,
        required=False,
        help_text=_("Empty: the tier's lead priority (tier benefits)."),
    )
    weight_B = forms.IntegerField(
        label=_("Weight of tier B"),
        min_value=0,
        required=False,
        help_text=_("Empty: the tier's lead priority (tier benefits)."),
    )
    weight_C = forms.IntegerField(
        label=_("Weight of tier C"),
        min_value=0,
        required=False,
        help_text=_("Empty: the tier's lead priority (tier benefits)."),
    )
    weight_D = forms.IntegerField(
        label=_("Weight of tier D (and partners without a tier)"),
        min_value=0,
        required=False,
        help_text=_("Empty: the tier's lead priority (tier benefits)."),
    )
    max_open = forms.IntegerField(label=_("Open leads per partner at most"), min_value=1, initial=5)
    respond_within_hours = forms.IntegerField(
        label=_("Answer within (hours)"), min_value=1, max_value=720, initial=48
    )

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        weights = {tier: data.pop(f"weight_{tier}") for tier in "ABCD"}
        weights = {tier: w for tier, w in weights.items() if w is not None}
        return {
            **data,
            "regions": [v.strip() for v in data["regions"].split(",") if v.strip()],
            "industries": [v.strip() for v in data["industries"].split(",") if v.strip()],
            "tier_weights": weights,
        }

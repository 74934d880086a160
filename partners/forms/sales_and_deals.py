"""Sales (their import) and deal registrations (register, close, decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.picker import PartnerPickerField


class SalesImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: external_id, partner, date, product, quantity, amount, currency, customer"),
    )


class DealForm(forms.Form):
    partner = (
        forms.CharField()
    )  # a PartnerPickerField for staff (set per tenant); partners register their own
    customer = forms.CharField(label=_("Customer"), max_length=200)
    customer_contact = forms.CharField(label=_("Customer e-mail or website"), required=False, max_length=200)
    product = forms.CharField(label=_("Product"), required=False, max_length=200)
    expected_amount = forms.DecimalField(
        label=_("Expected amount"), min_value=0, max_digits=14, decimal_places=2
    )
    self_sourced = forms.BooleanField(label=_("Found by the partner"), required=False, initial=True)

    def __init__(self, *args, tenant, partner_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partner_id is not None:
            del self.fields["partner"]
        else:
            self.fields["partner"] = PartnerPickerField(tenant=tenant)


class DealCloseForm(forms.Form):
    won = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", _("Won")), ("0", _("Lost"))])
    amount = forms.DecimalField(
        label=_("Won amount"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    note = forms.CharField(label=_("How it ended"), required=False)


class DealDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        coerce=lambda v: v == "1", choices=[("1", _("Approve")), ("0", _("Reject"))]
    )
    reason = forms.CharField(label=_("Why"), required=False)

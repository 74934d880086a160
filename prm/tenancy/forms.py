from django import forms
from django.utils.translation import gettext_lazy as _

from .access import partner_directory
from .choices import Role


class InviteMemberForm(forms.Form):
    """Invite someone by e-mail; they choose (or sign in to) their own account when they accept."""

    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    partner = forms.CharField(required=False)  # the partner directory's picker (set per tenant)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"] = partner_directory().picker_field(
            tenant, required=False, label=_("Partner (for partner users)")
        )

    def clean_partner(self):
        partner = self.cleaned_data.get("partner")
        return partner.pk if partner else None


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    partner = forms.CharField(required=False)  # the partner directory's picker (set per tenant)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"] = partner_directory().picker_field(tenant, required=False, label=_("Partner"))

    def clean_partner(self):
        partner = self.cleaned_data.get("partner")
        return partner.pk if partner else None

from django import forms
from django.utils.translation import gettext_lazy as _

from .access import partner_directory
from .choices import Role


class MemberForm(forms.Form):
    """Add a member; without a password the person is invited by e-mail."""

    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    partner = forms.CharField(required=False)  # the partner directory's picker (set per tenant)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Leave empty to send an invitation e-mail instead."),
    )

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

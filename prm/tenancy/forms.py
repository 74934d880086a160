from django import forms
from django.utils.translation import gettext_lazy as _

from .access import partner_directory
from .choices import Role


class MemberForm(forms.Form):
    """Add a member; without a password the person is invited by e-mail."""

    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    partner = forms.TypedChoiceField(
        label=_("Partner (for partner users)"), coerce=int, required=False, empty_value=None
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Leave empty to send an invitation e-mail instead."),
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        partners = partner_directory().partners(tenant).order_by("name").values_list("pk", "name")
        self.fields["partner"].choices = [("", "—"), *partners]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    partner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, choices=[])

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        partners = partner_directory().partners(tenant).values_list("pk", "name")
        self.fields["partner"].choices = [("", "—"), *partners]

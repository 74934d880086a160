from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A code of the authenticator app (six digits), or one of the recovery codes where allowed."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class PolicyForm(forms.Form):
    required_for_staff = forms.TypedChoiceField(
        label=_("Two-factor sign-in for staff"),
        choices=[("yes", _("Required of every staff member")), ("no", _("Optional"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_("Partner users may set it up for themselves; they are never made to."),
    )

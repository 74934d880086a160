"""The personal-data page's forms: who to look for, and the typed confirmation of an erasure."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PersonForm(forms.Form):
    """Name a person by e-mail, or by one of their records (the links from the person's pages)."""

    email = forms.CharField(label=_("E-mail address"), required=False, max_length=254)
    contact = forms.IntegerField(required=False, widget=forms.HiddenInput)
    member = forms.IntegerField(required=False, widget=forms.HiddenInput)
    application = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EraseForm(PersonForm):
    confirm = forms.CharField(
        label=_("Type the confirmation to erase"),
        max_length=254,
        help_text=_("This cannot be undone."),
    )

"""The price list page's forms: its filters and the CSV import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import COLUMNS


class PriceFilterForm(forms.Form):
    """The list's filters (GET)."""

    q = forms.CharField(label=_("Product"), required=False, max_length=200)
    currency = forms.RegexField(label=_("Currency"), required=False, regex=r"^[A-Za-z]{3}$", max_length=3)
    current = forms.BooleanField(label=_("Valid today only"), required=False)


class PriceImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("Columns: %(c)s") % {"c": ", ".join(COLUMNS)})

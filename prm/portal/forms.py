"""Helpers shared by portal pages that post forms to services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def apply_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, each message on its field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class CsvImportForm(forms.Form):
    """A page's CSV upload; ``help`` names the columns."""

    file = forms.FileField(label=_("CSV file"))

    def __init__(self, *args, help: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = help

from django import forms
from django.utils.translation import gettext_lazy as _

from .catalogue import EVENTS


class EndpointForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[
            ("*", _("Every event")),
            *((name, f"{name} — {label}") for name, label in EVENTS.items() if name != "ping"),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

"""The profile page's form for a new token."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from .models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What will use it, e.g. billing-sync."), strip=True
    )
    scope = forms.ChoiceField(
        label=_("Access"), choices=Scope.choices, initial=Scope.READ, widget=forms.RadioSelect
    )
    expires_in_days = forms.IntegerField(label=_("Expires in (days)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["expires_in_days"]
        field.initial = settings.API_TOKEN_DAYS
        field.max_value = settings.API_TOKEN_MAX_DAYS
        field.validators.append(MaxValueValidator(settings.API_TOKEN_MAX_DAYS))
        field.widget.attrs.update(min=1, max=settings.API_TOKEN_MAX_DAYS)
        field.help_text = _("At most %(max)d days.") % {"max": settings.API_TOKEN_MAX_DAYS}

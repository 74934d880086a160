from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Category, Status


class RaiseForm(forms.Form):
    """A partner user's new request."""

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("What it is about"), widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label=_("Attachment (PDF, PNG or JPEG)"), required=False)


class ReplyForm(forms.Form):
    """A message for the thread."""

    text = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}))


class QueueFilterForm(forms.Form):
    """The queue's filters (GET)."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Open and answered")), *Status.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any")), *Category.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgreementTemplate, Course

#: the value of "Other" in a list's choices: the candidate names it in ``<field>_other``
OTHER = "__other__"


class ApplicationForm(forms.Form):
    """The public application form. ``website`` is a honeypot: people leave it empty.

    Where the tenant keeps a list of regions or industries, that answer is a choice of the list
    plus "Other", whose text (``region_other``, ``industry_other``) is kept for the reviewer; the
    candidate is never turned away for an unlisted answer. Without a list it is free text."""

    company = forms.CharField(label=_("Company"), max_length=200)
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    region_other = forms.CharField(
        label=_("Your region, if it is not listed"), max_length=100, required=False
    )
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    industry_other = forms.CharField(
        label=_("Your industry, if it is not listed"), max_length=100, required=False
    )
    lines_carried = forms.CharField(
        label=_("Lines you carry"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    message = forms.CharField(
        label=_("Why you want to work with us"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, lists: dict | None = None, **kwargs):
        """``lists``: ``{"region": [names], "industry": [names]}``, the tenant's lists (empty: free text)."""
        super().__init__(*args, **kwargs)
        self.listed = []
        for name, values in (lists or {}).items():
            if not values:
                del self.fields[f"{name}_other"]
                continue
            self.listed.append(name)
            self.fields[name] = forms.ChoiceField(
                label=self.fields[name].label,
                required=False,
                choices=[("", "—"), *((v, v) for v in values), (OTHER, _("Other (name it below)"))],
            )
        for name in ("region", "industry"):
            if lists is None or name not in lists:
                self.fields.pop(f"{name}_other", None)

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This looks automated; the application was not sent."))
        return ""

    def clean(self):
        cleaned = super().clean()
        for name in self.listed:
            other = " ".join((cleaned.get(f"{name}_other") or "").split())
            if cleaned.get(name) == OTHER:
                if not other:
                    self.add_error(f"{name}_other", _("Name it, or pick one of the list."))
                cleaned[name] = other
        return cleaned

    def application_data(self) -> dict:
        """The application's fields for ``application_submit`` ("Other" already replaced by its text)."""
        skip = {"website", "region_other", "industry_other"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class AgreementForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Agreement"), queryset=AgreementTemplate.objects.none())
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    signatories = forms.CharField(label=_("Signatories"), widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.FileField(label=_("Signed document (PDF)"))


class CompletionForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    person = forms.CharField(label=_("Who completed it"), max_length=200)
    completed_on = forms.DateField(label=_("Completed on"), widget=forms.DateInput(attrs={"type": "date"}))


class InviteForm(forms.Form):
    """Invite a partner's user by e-mail; the person accepts with their own account."""

    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    make_admin = forms.BooleanField(label=_("Partner admin (may invite colleagues)"), required=False)


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))

"""The partner and its contacts, its moves between stages, an import of partners."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.choices import Stage
from partners.models import Partner
from partners.reference.vocabularies import PARTNER_FIELDS, Vocabulary
from prm.tenancy.capabilities import Capability
from prm.tenancy.selectors import users_who_can

User = get_user_model()


class PartnerForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name",
            "region",
            "country",
            "industry",
            "website",
            "source",
            "referrer",
            "referral_level",
            "operating_model",
            "owner",
            "lines_carried",
            "on_target_list",
            "key_partner",
        ]

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        # only roles that can own a partner are offered (a current owner stays, to be changed on purpose)
        owners = users_who_can(tenant=tenant, capability=Capability.OWN_PARTNERS).values("pk")
        current = Q(pk=self.instance.owner_id) if self.instance and self.instance.owner_id else Q(pk__in=[])
        self.fields["owner"].queryset = User.objects.filter(Q(pk__in=owners) | current).order_by("username")

        vocabulary = Vocabulary(tenant)
        for name, kind in PARTNER_FIELDS.items():
            if vocabulary.has(kind):  # a list: choose from it (keeping a value typed before the list existed)
                choices = vocabulary.choices(kind)
                current = getattr(self.instance, name, "") if self.instance else ""
                if current and (current, current) not in choices:
                    choices.append((current, current))
                self.fields[name] = forms.ChoiceField(
                    label=self.fields[name].label, required=False, choices=[("", "—"), *choices]
                )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    is_primary = forms.BooleanField(label=_("Primary contact"), required=False)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    note = forms.CharField(label=_("Why"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PartnersImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "A header row with at least: name. Also read: region, country, industry, website, source, "
            "referrer, lines_carried, owner, contact_name, contact_email, contact_phone, contact_role."
        ),
    )

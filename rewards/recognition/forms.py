from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Partner, PartnerUser

from .models import AwardCategory
from .people import person_name


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{person_name(obj)} ({obj.partner.name})"


class AwardForm(forms.Form):
    """Grant an award: category, period, partner, optionally one of its people, a citation."""

    category = forms.ModelChoiceField(label=_("Category"), queryset=AwardCategory.objects.none())
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A year like 2026, a quarter like 2026-Q3 or a month like 2026-07."),
    )
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    person = PersonChoice(
        label=_("Person recognised (optional)"),
        queryset=PartnerUser.objects.none(),
        required=False,
        help_text=_("One of the partner's users, when the award is for a person."),
    )
    citation = forms.CharField(label=_("Citation"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = AwardCategory.objects.for_tenant(tenant).filter(active=True)
        self.fields["partner"].queryset = Partner.objects.for_tenant(tenant).order_by("name")
        self.fields["person"].queryset = (
            PartnerUser.objects.for_tenant(tenant)
            .select_related("membership__user", "partner")
            .order_by("partner__name", "membership__user__last_name")
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Why revoke it"), max_length=500)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = AwardCategory
        fields = ["name", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.choices import ReferenceKind
from partners.picker import PartnerPickerField
from partners.reference.vocabularies import Vocabulary

from .choices import KpiUnit
from .models import Kpi
from .services.compute import scored_partners


class PeriodForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=7, help_text=_("2026-07 or 2026-Q3"))


class TargetForm(forms.Form):
    partner = forms.CharField()  # a PartnerPickerField over the scored partners (set per tenant)
    period = forms.CharField(label=_("Period"), max_length=7, help_text=_("2026-07 or 2026-Q3"))
    kpi = forms.ModelChoiceField(label=_("KPI"), queryset=Kpi.objects.none())
    value = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["partner"] = PartnerPickerField(tenant=tenant, queryset=scored_partners(tenant))
        self.fields["kpi"].queryset = Kpi.objects.for_tenant(tenant).filter(active=True)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("Columns: partner, period, kpi, value"))


class KpiForm(forms.ModelForm):
    class Meta:
        model = Kpi
        fields = [
            "code",
            "name",
            "source",
            "direction",
            "weight",
            "dimension",
            "side",
            "unit",
            "default_target",
            "active",
            "position",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:  # a new KPI may leave its unit to its source (kpi_save)
            unit = self.fields["unit"]
            unit.required, unit.initial = False, ""
            unit.choices = [("", _("As its source counts: money, percent or a number")), *KpiUnit.choices]


class ProductRegistrationForm(forms.Form):
    partner = (
        forms.CharField()
    )  # a PartnerPickerField for staff (set per tenant); partners register their own
    customer = forms.CharField(label=_("Customer"), max_length=200)
    product = forms.CharField(label=_("Product"), max_length=200)
    serial = forms.CharField(label=_("Serial number"), max_length=100)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, tenant, partner_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partner_id is not None:
            del self.fields["partner"]
        else:
            self.fields["partner"] = PartnerPickerField(tenant=tenant)
        vocabulary = Vocabulary(tenant)
        if vocabulary.has(ReferenceKind.PRODUCT):  # the service accepts only the list's products
            self.fields["product"] = forms.ChoiceField(
                label=self.fields["product"].label,
                choices=[("", "—"), *vocabulary.choices(ReferenceKind.PRODUCT)],
            )


class SatisfactionForm(forms.Form):
    partner = forms.CharField()  # a PartnerPickerField (set per tenant)
    score = forms.IntegerField(label=_("Score (0–10)"), min_value=0, max_value=10)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    respondent = forms.CharField(label=_("Respondent"), required=False, max_length=200)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"] = PartnerPickerField(tenant=tenant)

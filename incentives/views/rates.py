"""The exchange-rate table page: finance adds rates or imports them."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from prm.portal.views import PageFormAction, TenantPageMixin, import_page_response
from prm.tenancy.capabilities import Capability

from .. import selectors
from ..services import rates


class RateForm(forms.Form):
    currency = forms.RegexField(label=gettext_lazy("Currency"), regex=r"^[A-Za-z]{3}$", max_length=3)
    date = forms.DateField(label=gettext_lazy("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    rate = forms.DecimalField(label=gettext_lazy("Rate"), max_digits=18, decimal_places=8, min_value=0)


class RateImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"), help_text=gettext_lazy("Columns: currency, date, rate")
    )


class RatesView(TenantPageMixin, TemplateView):
    template_name = "incentives/rates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", RateForm())
        context.setdefault("import_form", RateImportForm())
        context.update(rates=list(selectors.rates(tenant=self.tenant)[:200]))
        return context


class RateAddView(PageFormAction, RatesView):
    capability = Capability.MANAGE_RATES

    def build_form(self, data, files):
        return RateForm(data)

    def save(self, form):
        rates.rate_add(tenant=self.tenant, actor=self.request.user, **form.cleaned_data)
        return _("Rate added.")

    def success_url(self):
        return reverse("incentives:rates", kwargs={"tenant": self.tenant.slug})


class RatesImportView(RatesView):
    capability = Capability.MANAGE_RATES
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        return import_page_response(
            self,
            RateImportForm(request.POST, request.FILES),
            lambda upload: rates.rates_import(tenant=self.tenant, actor=request.user, file=upload),
            _("Imported: %(c)d new rates, %(u)d already there."),
            success_url=reverse("incentives:rates", kwargs={"tenant": self.tenant.slug}),
        )

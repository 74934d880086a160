"""The exchange-rate table page: finance adds rates or imports them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from prm.portal.forms import apply_service_errors
from prm.portal.views import TenantPageMixin, import_page_response
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
    post_capability = Capability.MANAGE_RATES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", RateForm())
        context.setdefault("import_form", RateImportForm())
        context.update(rates=list(selectors.rates(tenant=self.tenant)[:200]))
        return context

    def post(self, request, *args, **kwargs):
        if "file" in request.FILES:
            return import_page_response(
                self, RateImportForm(request.POST, request.FILES),
                lambda upload: rates.rates_import(tenant=self.tenant, actor=request.user, file=upload),
                _("Imported: %(c)d new rates, %(u)d already there."),
            )  # fmt: skip
        form = RateForm(request.POST)
        if form.is_valid():
            try:
                rates.rate_add(tenant=self.tenant, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Rate added."))
                return redirect("incentives:rates", tenant=self.tenant.slug)
        return self.render_to_response(self.get_context_data(form=form), status=400)

"""The effectiveness report: does each incentive rule and MDF programme pay off (page and CSV)."""

from django.views import View
from django.views.generic import TemplateView

from prm.portal.views import TenantPageMixin
from prm.tenancy.capabilities import Capability

from .. import effectiveness
from ..exports import effectiveness_download
from ..forms import EffectivenessForm


def report_of(tenant, query) -> tuple[EffectivenessForm, effectiveness.Report | None]:
    """The form read from ``query`` and the report it asks for (None when the form is wrong)."""
    form = EffectivenessForm(query or None)
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    result = effectiveness.report(
        tenant=tenant, period=data.get("period"), baseline_periods=data.get("baseline") or 1
    )
    if not form.is_bound:
        form = EffectivenessForm(initial={"period": result.period.code, "baseline": 1})
    return form, result


class EffectivenessView(TenantPageMixin, TemplateView):
    template_name = "incentives/effectiveness.html"
    capability = Capability.READ_EFFECTIVENESS

    def get(self, request, *args, **kwargs):
        form, result = report_of(self.tenant, request.GET)
        return self.render_to_response(
            self.get_context_data(form=form, result=result), status=200 if result else 400
        )


class EffectivenessCsvView(TenantPageMixin, View):
    capability = Capability.READ_EFFECTIVENESS

    def get(self, request, *args, **kwargs):
        form, result = report_of(self.tenant, request.GET)
        if result is None:
            return EffectivenessView.as_view()(request, *args, **kwargs)
        return effectiveness_download(self.tenant, result)

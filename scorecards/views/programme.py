"""The partner's programme page: duties, rights of its tier and the next, the gap in words."""

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from partners.models import Partner
from prm.portal.views import TenantPageMixin
from prm.tenancy.capabilities import Capability

from ..programme_cards import programme_cards
from ..programme_page import partner_programme


class PartnerProgrammePageView(TenantPageMixin, TemplateView):
    """Staff open any partner's; a partner user its own (another's is 404)."""

    template_name = "scorecards/programme.html"
    capability = Capability.READ
    partner_scope = "id"
    model = Partner

    def partner(self):
        return get_object_or_404(self.scoped(Partner.objects.for_tenant(self.tenant)), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.partner()
        context["programme"] = partner_programme(self.tenant, partner)
        context["cards"] = programme_cards(self.tenant, partner)
        return context


class MyProgrammePageView(PartnerProgrammePageView):
    capability = Capability.PARTNER_HOME

    def partner(self):
        return Partner.objects.for_tenant(self.tenant).get(pk=self.access.partner_id)

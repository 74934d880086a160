"""What each tier gives: the table every role reads, with how each benefit is kept (the rule that
applies it, not automatic, or the rule that contradicts it); admins add and remove benefits."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from partners.forms.tiers import TierBenefitForm
from partners.models import TierBenefit
from partners.tiering.benefit_keeping import with_keeping
from partners.tiering.benefits import benefit_delete, benefit_list, benefit_save, benefits_by_tier
from prm.portal.views import PageAction, PageFormAction, TenantPageMixin
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability


class TierBenefitsView(TenantPageMixin, PageFormAction, TemplateView):
    template_name = "partners/benefits.html"
    capability = Capability.READ
    post_capability = Capability.EDIT_PROGRAMME
    partner_scope = SHARED_WITH_PARTNERS
    http_method_names = ["get", "post", "head", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", TierBenefitForm())
        tiers = benefits_by_tier(self.tenant)
        with_keeping(
            self.tenant,
            [b for benefits in tiers.values() for b in benefits],
            for_partner=self.access.is_partner,
        )
        context["tiers"] = tiers
        return context

    def build_form(self, data, files):
        return TierBenefitForm(data)

    def save(self, form) -> str:
        benefit = benefit_save(tenant=self.tenant, actor=self.request.user, **form.cleaned_data)
        return _("Tier %(t)s: “%(d)s” saved.") % {"t": benefit.tier, "d": benefit.description}


class TierBenefitDeleteView(PageAction):
    capability = Capability.EDIT_PROGRAMME
    model = TierBenefit

    def perform(self, request):
        benefit_delete(
            benefit=get_object_or_404(benefit_list(tenant=self.tenant), pk=self.kwargs["pk"]),
            actor=request.user,
        )
        return _("Benefit removed.")

    def success_url(self):
        return reverse("partners:benefits", kwargs={"tenant": self.tenant.slug})

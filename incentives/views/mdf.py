"""MDF: partners request funds and claim with proof; managers decide."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from partners.models import Partner
from prm.files import file_response
from prm.periods import parse_period, period_containing
from prm.portal.views import PageAction, PageFormAction, TenantPageMixin
from prm.tenancy.capabilities import Capability

from .. import mdf_budget, selectors
from ..choices import MdfStatus, RuleKind
from ..forms import MdfClaimForm, MdfRequestForm
from ..models import MdfClaim, MdfRequest
from ..services import mdf


class MdfView(TenantPageMixin, TemplateView):
    """Requests and claims; the forms post to their own actions below."""

    template_name = "incentives/mdf.html"
    capability = Capability.READ
    partner_scope = "partner"

    def forms(self, data=None, files=None, *, posted: str = ""):
        """The request and claim forms; ``posted`` names the one ``data`` fills."""
        request_form = MdfRequestForm(
            data if posted == "request" else None, tenant=self.tenant, for_partner=self.access.is_partner
        )
        request_form.fields["rule"].queryset = selectors.rule_list(tenant=self.tenant).filter(
            kind=RuleKind.MDF, active=True
        )
        claim_form = MdfClaimForm(data if posted == "claim" else None, files if posted == "claim" else None)
        claim_form.fields["request"].queryset = self.scoped(
            selectors.mdf_requests(tenant=self.tenant)
        ).filter(status=MdfStatus.APPROVED)
        return request_form, claim_form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request_form, claim_form = self.forms()
        context.setdefault("request_form", request_form)
        context.setdefault("claim_form", claim_form)
        requests = list(self.scoped(selectors.mdf_requests(tenant=self.tenant))[:100])
        context.update(requests=requests, claims=list(MdfClaimScope(self).claims()[:100]))
        context.update(self.budgets(default=requests[0].period if requests else None))
        return context

    #: How many budgets the page shows (staff: the partners and rules requested under in the period).
    BUDGETS_SHOWN = 100

    def budgets(self, *, default: str | None) -> dict:
        """The budgets of ``?period=`` (else the newest request's period, else this quarter): a partner
        user's own under each MDF rule that pays it; for staff, each partner and rule requested under."""
        asked, error = self.request.GET.get("period", "").strip(), ""
        try:
            period = parse_period(asked or default or period_containing(timezone.localdate()).code)
        except ValidationError:
            period, error = (
                period_containing(timezone.localdate()),
                _("Use a month like 2026-07 or a quarter like 2026-Q3."),
            )
        if self.access.is_partner:
            partner = Partner.objects.for_tenant(self.tenant).get(pk=self.access.partner_id)
            pairs = mdf_budget.partner_pairs(tenant=self.tenant, period=period, partner=partner)
        else:
            rows = mdf_budget.requested_pairs(tenant=self.tenant, period=period)[: self.BUDGETS_SHOWN]
            pairs = [(row["partner_id"], row["rule__key"]) for row in rows]
        return {
            "budget_period": period.code,
            "budget_period_error": error,
            "budgets": mdf_budget.budgets(tenant=self.tenant, period=period, pairs=pairs),
            "budgets_cut": len(pairs) >= self.BUDGETS_SHOWN and not self.access.is_partner,
        }


class MdfRequestCreateView(PageFormAction, MdfView):
    capability = Capability.REQUEST_MDF
    form_name = "request_form"

    def build_form(self, data, files):
        return self.forms(data, files, posted="request")[0]

    def save(self, form):
        partner = form.cleaned_data.pop("partner", None) or self._partner()
        mdf.mdf_request_create(
            tenant=self.tenant, actor=self.request.user, partner=partner, **form.cleaned_data
        )
        return _("Request sent.")

    def success_url(self):
        return reverse("incentives:mdf", kwargs={"tenant": self.tenant.slug})

    def _partner(self):
        """A partner user's own partner (staff choose one in the form)."""
        return Partner.objects.for_tenant(self.tenant).get(pk=self.access.partner_id)


class MdfClaimSubmitView(PageFormAction, MdfView):
    capability = Capability.REQUEST_MDF
    form_name = "claim_form"

    def build_form(self, data, files):
        return self.forms(data, files, posted="claim")[1]

    def save(self, form):
        mdf.mdf_claim_submit(actor=self.request.user, **form.cleaned_data)
        return _("Claim submitted.")

    def success_url(self):
        return reverse("incentives:mdf", kwargs={"tenant": self.tenant.slug})


class MdfDecision(PageAction):
    capability = Capability.DECIDE_MDF

    def success_url(self):
        return reverse("incentives:mdf", kwargs={"tenant": self.tenant.slug})


class MdfRequestDecideView(MdfDecision):
    model = MdfRequest

    def perform(self, request):
        item = get_object_or_404(
            self.scoped(selectors.mdf_requests(tenant=self.tenant)), pk=self.kwargs["pk"]
        )
        mdf.mdf_request_decide(
            request=item,
            actor=request.user,
            approve=request.POST.get("approve") == "1",
            note=request.POST.get("note", ""),
        )
        return _("Decision recorded.")


class MdfClaimDecideView(MdfDecision):
    model = MdfClaim

    def perform(self, request):
        claim = get_object_or_404(self.scoped(selectors.mdf_claims(tenant=self.tenant)), pk=self.kwargs["pk"])
        mdf.mdf_claim_decide(
            claim=claim,
            actor=request.user,
            approve=request.POST.get("approve") == "1",
        )
        return _("Decision recorded.")


class MdfClaimScope:
    """Claims seen by the page's caller (partners: through their requests)."""

    def __init__(self, view):
        self.view = view

    def claims(self):
        queryset = selectors.mdf_claims(tenant=self.view.tenant)
        if self.view.access.is_partner:
            queryset = queryset.filter(request__partner_id=self.view.access.partner_id)
        return queryset


class MdfProofView(TenantPageMixin, View):
    """A claim's proof of execution, for whoever may see the claim (its partner's users too)."""

    model = MdfClaim
    capability = Capability.READ
    partner_scope = "request__partner"

    def get(self, request, *args, **kwargs):
        claim = get_object_or_404(self.scoped(selectors.mdf_claims(tenant=self.tenant)), pk=kwargs["pk"])
        return mdf_proof_response(claim)


def mdf_proof_response(claim):
    """Shared by the page and ``mdf-claims/{id}/proof/``."""
    suffix = claim.proof.name.rsplit(".", 1)[-1] if "." in claim.proof.name else "pdf"
    return file_response(claim.proof.name, claim.proof_name or f"proof-{claim.pk}.{suffix}")

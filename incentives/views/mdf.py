"""MDF: partners request funds and claim with proof; managers decide."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from partners.models import Partner
from prm.files import file_response
from prm.portal.forms import apply_service_errors
from prm.portal.views import TenantPageMixin
from prm.tenancy.choices import ALL_ROLES, Role

from .. import selectors
from ..choices import MdfStatus, RuleKind
from ..forms import MdfClaimForm, MdfRequestForm
from ..models import MdfClaim
from ..services import mdf

MANAGERS = frozenset({Role.ADMIN, Role.CHANNEL_MANAGER})


class MdfView(TenantPageMixin, TemplateView):
    template_name = "incentives/mdf.html"
    roles = ALL_ROLES
    partner_scope = "partner"

    def _forms(self, data=None, files=None):
        request_form = MdfRequestForm(
            data if data and data.get("form") == "request" else None,
            tenant=self.tenant, for_partner=self.access.is_partner,
        )  # fmt: skip
        request_form.fields["rule"].queryset = selectors.rule_list(tenant=self.tenant).filter(
            kind=RuleKind.MDF, active=True
        )
        claim_form = MdfClaimForm(data if data and data.get("form") == "claim" else None, files)
        claim_form.fields["request"].queryset = self.scoped(
            selectors.mdf_requests(tenant=self.tenant)
        ).filter(status=MdfStatus.APPROVED)
        return request_form, claim_form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request_form, claim_form = self._forms()
        context.setdefault("request_form", request_form)
        context.setdefault("claim_form", claim_form)
        context.update(
            requests=list(self.scoped(selectors.mdf_requests(tenant=self.tenant))[:100]),
            claims=list(MdfClaimScope(self).claims()[:100]),
            can_decide=self.access.role in MANAGERS,
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("form")
        try:
            if action in ("decide_request", "decide_claim"):
                if self.access.role not in MANAGERS:
                    raise ValidationError(_("Your role may not decide MDF."))
                approve = request.POST.get("approve") == "1"
                if action == "decide_request":
                    item = get_object_or_404(
                        selectors.mdf_requests(tenant=self.tenant), pk=request.POST.get("id")
                    )
                    mdf.mdf_request_decide(
                        request=item, actor=request.user, approve=approve, note=request.POST.get("note", "")
                    )
                else:
                    claim = get_object_or_404(
                        selectors.mdf_claims(tenant=self.tenant), pk=request.POST.get("id")
                    )
                    mdf.mdf_claim_decide(claim=claim, actor=request.user, approve=approve)
                messages.success(request, _("Decision recorded."))
                return redirect("incentives:mdf", tenant=self.tenant.slug)
            request_form, claim_form = self._forms(request.POST, request.FILES)
            form = request_form if action == "request" else claim_form
            if form.is_valid():
                try:
                    if action == "request":
                        partner = form.cleaned_data.pop("partner", None) or self._partner()
                        mdf.mdf_request_create(
                            tenant=self.tenant, actor=request.user, partner=partner, **form.cleaned_data
                        )
                        messages.success(request, _("Request sent."))
                    else:
                        mdf.mdf_claim_submit(actor=request.user, **form.cleaned_data)
                        messages.success(request, _("Claim submitted."))
                    return redirect("incentives:mdf", tenant=self.tenant.slug)
                except ValidationError as exc:
                    apply_service_errors(form, exc)
            return self.render_to_response(
                self.get_context_data(request_form=request_form, claim_form=claim_form), status=400
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("incentives:mdf", tenant=self.tenant.slug)

    def _partner(self):
        """A partner user's own partner (staff choose one in the form)."""
        return Partner.objects.for_tenant(self.tenant).get(pk=self.access.partner_id)


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
    roles = ALL_ROLES
    partner_scope = "request__partner"

    def get(self, request, *args, **kwargs):
        claim = get_object_or_404(self.scoped(selectors.mdf_claims(tenant=self.tenant)), pk=kwargs["pk"])
        return mdf_proof_response(claim)


def mdf_proof_response(claim):
    """Shared by the page and ``mdf-claims/{id}/proof/``."""
    suffix = claim.proof.name.rsplit(".", 1)[-1] if "." in claim.proof.name else "pdf"
    return file_response(claim.proof.name, claim.proof_name or f"proof-{claim.pk}.{suffix}")

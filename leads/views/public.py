"""The public, tenant-branded find-a-partner form (no login): a customer leaves a lead."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.views import View

from prm.net import client_ip
from prm.portal.forms import apply_service_errors
from prm.tenancy.models import Tenant

from ..finder_sections import finder_sections
from ..forms import PublicLeadForm
from ..services.intake import TooManyLeads, lead_submit_public


class FindPartnerView(View):
    template_name = "leads/find_partner.html"

    def get(self, request, slug):
        tenant = get_object_or_404(Tenant, slug=slug)
        return render(request, self.template_name, self._context(tenant, PublicLeadForm()))

    def post(self, request, slug):
        tenant = get_object_or_404(Tenant, slug=slug)
        form = PublicLeadForm(request.POST)
        status = 400
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            if form.cleaned_data.get("website"):  # a bot filled the honeypot: thank it, keep nothing
                return render(request, "leads/found_partner.html", {"brand": tenant})
            try:
                lead_submit_public(
                    tenant=tenant, ip=client_ip(request), language=request.LANGUAGE_CODE, **data
                )
            except TooManyLeads as exc:
                apply_service_errors(form, exc)
                status = 429
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return render(request, "leads/found_partner.html", {"brand": tenant})
        return render(request, self.template_name, self._context(tenant, form), status=status)

    def _context(self, tenant, form) -> dict:
        return {"brand": tenant, "form": form, "sections": finder_sections(tenant)}

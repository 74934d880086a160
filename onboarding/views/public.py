"""The public, tenant-branded application page (no login)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.views import View

from prm.net import client_ip
from prm.portal.forms import apply_service_errors
from prm.tenancy.models import Tenant

from ..forms import ApplicationForm
from ..services.applications import TooManyApplications, application_lists, application_submit


class ApplyView(View):
    """GET the form, POST an application. Rate-limited per address; a honeypot field catches bots."""

    template_name = "onboarding/apply.html"

    def get(self, request, slug):
        tenant = get_object_or_404(Tenant, slug=slug)
        form = ApplicationForm(lists=application_lists(tenant))
        return render(request, self.template_name, {"brand": tenant, "form": form})

    def post(self, request, slug):
        tenant = get_object_or_404(Tenant, slug=slug)
        form = ApplicationForm(request.POST, lists=application_lists(tenant))
        status = 400
        if form.is_valid():
            data = form.application_data()
            try:
                application_submit(tenant=tenant, ip=client_ip(request), **data)
            except TooManyApplications as exc:
                apply_service_errors(form, exc)
                status = 429
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return render(
                    request, "onboarding/applied.html", {"brand": tenant, "company": data["company"]}
                )
        return render(request, self.template_name, {"brand": tenant, "form": form}, status=status)

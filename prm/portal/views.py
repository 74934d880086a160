"""The portal shell: home, login, profile, the tenant dashboard, and the base page mixin."""

import json
import logging

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from prm.tenancy.access import restrict_to_access
from prm.tenancy.choices import STAFF_ROLES
from prm.tenancy.selectors import memberships_of

from .registry import panels_for

csp_logger = logging.getLogger("prm.csp")


class TenantPageMixin(LoginRequiredMixin):
    """Base of every page under /t/<tenant>/.

    The tenant middleware has already answered 404 to non-members; here the
    role is checked (403 for a role that may not see the page) and
    ``scoped()`` restricts querysets like the API does.
    """

    roles = STAFF_ROLES
    partner_scope: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        access = request.tenant_access
        if access.role not in self.roles or (access.is_partner and self.partner_scope is None):
            raise PermissionDenied
        self.tenant = access.tenant
        self.access = access
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, queryset):
        return restrict_to_access(queryset, self.access, self.partner_scope)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # the URL's `tenant` kwarg is the slug; templates get the Tenant
        context["tenant"] = self.tenant
        context["access"] = self.access
        return context


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


@login_required
def home(request):
    """Send the user to their first tenant (or show that they have none)."""
    membership = next(iter(memberships_of(request.user)), None)
    if membership is None:
        return render(request, "portal/no_tenant.html", status=403)
    return redirect("portal:dashboard", tenant=membership.tenant.slug)


@login_required
def profile(request):
    return render(request, "portal/profile.html", {"memberships": memberships_of(request.user)})


class DashboardView(TenantPageMixin, TemplateView):
    template_name = "portal/dashboard.html"
    roles = frozenset(STAFF_ROLES | {"partner"})
    partner_scope = "id"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = [
            {"template": panel.template, "wide": panel.wide, **panel.context(self.request)}
            for panel in panels_for(self.access.role)
        ]
        return context


def import_page_response(view, form, importer, success: str):
    """A page's CSV import: the success message and back to the page, or the page again listing every
    bad row (``import_form`` and ``import_errors`` in the template), with nothing imported."""
    from django.contrib import messages

    from prm.imports import ImportRejected

    if not form.is_valid():
        return view.render_to_response(view.get_context_data(import_form=form), status=400)
    try:
        result = importer(form.cleaned_data["file"])
    except ImportRejected as rejected:
        context = view.get_context_data(import_form=form, import_errors=rejected.errors)
        return view.render_to_response(context, status=400)
    messages.success(view.request, success % {"c": result.created, "u": result.unchanged})
    return redirect(view.request.path)


@csrf_exempt
@require_POST
def csp_report(request):
    """Browsers report Content-Security-Policy violations here; each one is logged (204)."""
    body = request.body[:8192].decode("utf-8", "replace")
    try:
        report = json.loads(body)
    except ValueError:
        report = body
    csp_logger.warning(
        "CSP violation: %s", json.dumps(report)[:4000] if not isinstance(report, str) else report
    )
    return HttpResponse(status=204)

"""The portal shell: home, login, profile, the tenant dashboard, the base page mixin and page actions."""

import json
import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, View

from prm.tenancy.access import restrict_to_access
from prm.tenancy.capabilities import Capability, allows
from prm.tenancy.selectors import memberships_of

from .paging import CappedPaginator
from .registry import panels_for

csp_logger = logging.getLogger("prm.csp")


class TenantPageMixin(LoginRequiredMixin):
    """Base of every page under /t/<tenant>/.

    The tenant middleware has already answered 404 to non-members; here the
    role is checked (403 for a role that may not see the page) and
    ``scoped()`` restricts querysets like the API does.
    """

    #: what the caller must hold to see the page (``prm.tenancy.capabilities``)
    capability = Capability.READ_VENDOR_SIDE
    #: what it must hold to post to it, when that differs
    post_capability: Capability | None = None
    partner_scope: str | None = None
    #: list pages count at most ``paging.COUNT_CAP`` rows for their page numbers
    paginator_class = CappedPaginator

    @classmethod
    def capability_for(cls, method: str, action: str | None = None) -> Capability:
        if method.upper() in ("GET", "HEAD", "OPTIONS") or cls.post_capability is None:
            return cls.capability
        return cls.post_capability

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        access = request.tenant_access
        if not allows(access.role, self.capability_for(request.method)) or (
            access.is_partner and self.partner_scope is None
        ):
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


def report_errors(request, exc: ValidationError) -> None:
    """Each message of a service's refusal as a flash message."""
    for message in exc.messages:
        messages.error(request, message)


def back(request, default: str):
    """Redirect to ``next`` when it is a local URL, else to ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


class PageAction(TenantPageMixin, View):
    """One thing a page lets you do, posted to its own URL.

    A subclass names its ``capability`` and implements ``perform(request)``,
    which calls one service and returns the success message; a service's
    ``ValidationError`` becomes error messages. Either way the user goes
    back to ``next`` (a local URL) or ``success_url()``.
    """

    http_method_names = ["post"]

    def perform(self, request) -> str:
        raise NotImplementedError

    def success_url(self) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            message = self.perform(request)
        except ValidationError as exc:
            report_errors(request, exc)
        else:
            if message:
                messages.success(request, message)
        return back(request, self.success_url())


class PageFormAction:
    """Mix into a page view: POST one of the page's forms to its own URL.

    A valid form is saved (``save(form)`` calls the service and returns the
    success message) and the user goes to ``success_url()``; an invalid one,
    or one the service refuses, shows the page again with the form and its
    errors (400) under the context name ``form_name``.
    """

    http_method_names = ["post"]
    form_name = "form"

    def build_form(self, data, files):
        raise NotImplementedError

    def save(self, form) -> str:
        raise NotImplementedError

    def success_url(self) -> str:
        return self.request.path

    def post(self, request, *args, **kwargs):
        from prm.portal.forms import apply_service_errors

        form = self.build_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                message = self.save(form)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect(self.success_url())
        return self.render_to_response(self.get_context_data(**{self.form_name: form}), status=400)


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
    capability = Capability.READ
    partner_scope = "id"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panels"] = [
            {"template": panel.template, "wide": panel.wide, **panel.context(self.request)}
            for panel in panels_for(self.access.role)
        ]
        return context


def import_page_response(view, form, importer, success: str, success_url: str | None = None):
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
    return redirect(success_url or view.request.path)


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

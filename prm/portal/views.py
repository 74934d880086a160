"""The portal shell: home, login, profile, the tenant dashboard, the base page mixin and page actions."""

import copy
import json
import logging
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, View

from prm.imports import ImportRejected
from prm.net import signin_refused_for
from prm.ops import metrics
from prm.portal.forms import apply_service_errors
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

    def form_invalid(self, form):
        """A page's form that does not validate comes back with its errors as 400 (FormView pages)."""
        response = super().form_invalid(form)
        response.status_code = 400
        return response

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


def _local(request, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def back(request, default: str):
    """Redirect to ``next`` when it is a local URL, else to ``default``."""
    return redirect(_local(request, request.POST.get("next") or request.GET.get("next")) or default)


def page_again(request, url: str, status: int = 400) -> HttpResponse:
    """The page at ``url`` (a page of the request's tenant) rendered for this request as a GET, with ``status``.

    What a refused action answers: the page it came from with the reasons (flash messages added
    before, shown by that page) and 400, instead of a redirect that hides the refusal. A URL that
    is not a page of the same tenant is redirected to, as before.
    """
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return redirect(url)
    access = getattr(request, "tenant_access", None)
    if access is None or match.kwargs.get("tenant") != access.tenant.slug:
        return redirect(url)
    page = copy.copy(request)
    page.method = "GET"
    page.path = page.path_info = parts.path
    page.GET, page.POST = QueryDict(parts.query), QueryDict()
    page.META = {
        **request.META,
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
    }
    page.resolver_match = match
    response = match.func(page, *match.args, **match.kwargs)
    if callable(getattr(response, "render", None)):
        response = response.render()
    if response.status_code == 200:
        response.status_code = status
    return response


def refused(request, exc: ValidationError, default: str) -> HttpResponse:
    """A service refused an action: its reasons as error messages on the page the action came from, 400."""
    report_errors(request, exc)
    return page_again(
        request, _local(request, request.POST.get("next") or request.GET.get("next")) or default
    )


class PageAction(TenantPageMixin, View):
    """One thing a page lets you do, posted to its own URL.

    A subclass names its ``capability`` and implements ``perform(request)``,
    which calls one service and returns the success message; the user goes
    back to ``next`` (a local URL) or ``success_url()``. A service's
    ``ValidationError`` shows that page again with the reasons as error
    messages, answered 400.
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
            return refused(request, exc, self.success_url())
        if message:
            messages.success(request, message)
        return back(request, self.success_url())


class PageFormAction:
    """Mix into a page view: POST one of the page's forms to its own URL.

    A valid form is saved (``save(form)`` calls the service and returns the
    success message) and the user goes to ``success_url()``: the page's own
    (the view mixed in after this one) unless the action names another, else
    the page the form was posted from. An invalid form, or one the service
    refuses, shows the page again with the form and its errors (400) under the
    context name ``form_name``.
    """

    http_method_names = ["post"]
    form_name = "form"

    def build_form(self, data, files):
        raise NotImplementedError

    def save(self, form) -> str:
        raise NotImplementedError

    def success_url(self) -> str:
        page = getattr(super(), "success_url", None)
        if page is not None:
            return page()
        request = self.request
        answers_get = "get" in self.http_method_names and hasattr(self, "get")
        for candidate in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
            url = _local(request, candidate)
            if url and (answers_get or urlsplit(url).path != request.path):
                return url  # (this action's own URL only when it is a page too)
        if answers_get:
            return request.get_full_path()
        return reverse("portal:dashboard", kwargs={"tenant": self.tenant.slug})

    def post(self, request, *args, **kwargs):
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

    def post(self, request, *args, **kwargs):
        if seconds := signin_refused_for(request):  # too many failed sign-ins from this address
            response = render(request, "registration/locked_out.html", {"by_address": True}, status=429)
            response["Retry-After"] = str(seconds)
            return response
        return super().post(request, *args, **kwargs)


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

    if not form.is_valid():
        return view.render_to_response(view.get_context_data(import_form=form), status=400)
    try:
        result = importer(form.cleaned_data["file"])
    except ImportRejected as rejected:
        metrics.import_refused(len(rejected.errors))
        context = view.get_context_data(import_form=form, import_errors=rejected.errors)
        return view.render_to_response(context, status=400)
    messages.success(view.request, success % {"c": result.created, "u": result.unchanged})
    return redirect(success_url or view.request.path)


@csrf_exempt
@require_POST
@transaction.non_atomic_requests  # (touches no database: no connection, no transaction)
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

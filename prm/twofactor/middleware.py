"""The verify step: a signed-in session whose user has a second factor gives a code before any page.

Installed after django-otp's ``OTPMiddleware`` and after the tenant middleware (whose
``process_view`` has found the member's tenant and role by then). For each view:

- anonymous requests, sessions signed in by single sign-on and the pages one needs on the way
  (sign-in, sign-out, the language switch, the verify page, CSP reports) pass; the health and
  metrics probes are answered before any middleware (``prm.ops``), static files by WhiteNoise;
- a user with a second factor whose session has not given a code is sent to the verify page;
- a staff member of a tenant that requires two-factor sign-in, without a second factor, is sent
  to set it up (their profile) from every page of that tenant;
- under ``/api/`` both answer 403 with a ``detail`` instead. API token clients carry no session and
  are not asked (their token is their proof).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from prm.tenancy.selectors import membership_in

from .devices import has_two_factor
from .policy import binds
from .session import has_device, is_verified, remember, signed_in_by_sso

#: views any signed-in session may reach before its code
EXEMPT_VIEWS = frozenset({"login", "logout", "set_language", "csp-report", "twofactor:verify"})


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or signed_in_by_sso(request) or _exempt(request):
            return None
        if has_device(request):
            if is_verified(request):
                return None
            return _refuse_unverified(request)
        membership = _membership_here(request, view_kwargs)
        if membership is not None and binds(membership):
            if has_two_factor(user):  # set up in another session since this one's note
                remember(request, has_device=True)
                return _refuse_unverified(request)
            return _send_to_enrolment(request, membership.tenant)
        return None


def _exempt(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in EXEMPT_VIEWS


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _membership_here(request, view_kwargs):
    access = getattr(request, "tenant_access", None)
    if access is not None:
        return access.membership
    slug = view_kwargs.get("tenant")
    if slug and _is_api(request):
        return membership_in(request.user, slug)  # API views resolve their tenant later, themselves
    return None


def _redirect(request, url: str):
    if request.headers.get("HX-Request"):
        response = JsonResponse({}, status=200)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _refuse_unverified(request):
    if _is_api(request):
        detail = _("This session has not given its two-factor code yet: sign in at %(url)s first.") % {
            "url": reverse("twofactor:verify")
        }
        return JsonResponse({"detail": detail}, status=403)
    target = request.get_full_path() if request.method == "GET" else "/"
    return _redirect(request, reverse("twofactor:verify") + "?" + urlencode({"next": target}))


def _send_to_enrolment(request, tenant):
    message = _("%(tenant)s requires two-factor sign-in of its staff: set it up to continue.") % {
        "tenant": tenant.name
    }
    if _is_api(request):
        return JsonResponse({"detail": message}, status=403)
    messages.warning(request, message)
    return _redirect(request, reverse("profile") + "#two-factor")

"""The user's own two-factor pages: set up (on the profile), the verify step, recovery codes, off.

Not tenant pages: a user's second factor serves every tenant they work in. Each action posts to
its own URL; a wrong code or a refusal shows the profile (or the verify page) again with the reason,
answered 400.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from prm.portal.forms import apply_service_errors
from prm.portal.views import report_errors
from prm.tenancy.selectors import memberships_of

from . import services
from .devices import has_two_factor
from .forms import CodeForm
from .session import forget_device, is_verified, mark_verified, remember


def _profile_again(request, form: CodeForm | None = None, action: str = ""):
    """The profile page with this section's form (and its errors), answered 400."""
    context = {
        "memberships": memberships_of(request.user),
        "two_factor_form": form,
        "two_factor_action": action,
    }
    return render(request, "portal/profile.html", context, status=400)


def _codes_page(request, codes: list[str], *, first: bool):
    return render(request, "twofactor/recovery_codes.html", {"codes": codes, "first": first})


@login_required
@require_POST
def enrolment_begin(request):
    """Make the secret to scan; the profile then shows its QR code and asks for a code."""
    try:
        services.enrolment_begin(user=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
    return redirect(reverse("profile") + "#two-factor")


@login_required
@require_POST
def enrolment_confirm(request):
    """A right code of the new authenticator sets two-factor sign-in up; its recovery codes follow."""
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            device, codes = services.enrolment_confirm(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            mark_verified(request, device)
            return _codes_page(request, codes, first=True)
    return _profile_again(request, form, "confirm")


@login_required
@require_POST
def recovery_codes_regenerate(request):
    """Ten new recovery codes, shown once; the old ones stop working."""
    try:
        codes = services.recovery_codes_regenerate(user=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
        return _profile_again(request)
    return _codes_page(request, codes, first=False)


@login_required
@require_POST
def disable(request):
    """Turn two-factor sign-in off, with a current code; refused while a tenant requires it."""
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services.two_factor_disable(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            forget_device(request)
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("profile")
    return _profile_again(request, form, "disable")


@method_decorator(login_required, name="dispatch")
class VerifyView(View):
    """After the password: the authenticator's code, or a recovery code, before any other page."""

    template_name = "twofactor/verify.html"

    def _next(self):
        request = self.request
        url = request.POST.get("next") or request.GET.get("next")
        local = url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return url if local else "/"

    def get(self, request):
        if is_verified(request) or not self._has_factor():
            return redirect(self._next())
        return self._page(CodeForm())

    def post(self, request):
        if is_verified(request) or not self._has_factor():
            return redirect(self._next())
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                device = services.code_check(user=request.user, code=form.cleaned_data["code"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                mark_verified(request, device)
                return redirect(self._next())
        return self._page(form, status=400)

    def _has_factor(self) -> bool:
        """Asked of the database here, not the session's note: a factor set up or turned off in
        another session counts at once."""
        device = has_two_factor(self.request.user)
        remember(self.request, has_device=device)
        return device

    def _page(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "next": self._next()}, status=status)

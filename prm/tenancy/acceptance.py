"""The invitation link's page, ``/invitations/<token>/``: outside any tenant, since the person is
not a member yet.

Whoever opens the link sees which tenant invites them, in which role, and by whom; then:

- signed out: choose a username and password (the account and the membership are made then), or
  sign in to an account they have and come back here, or decline;
- signed in as an account whose e-mail is the invited one: "Join <tenant> as <role>", or decline;
- signed in as another account: told so, with a way to sign out; nothing is attached.

A link that names no invitation answers 404; one that was used, declined, withdrawn or has expired
says so plainly (410).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from prm.portal.forms import apply_service_errors

from .access import partner_directory
from .invitations import (
    InvitationClosed,
    closed_message,
    invitation_accept,
    invitation_accept_new,
    invitation_decline,
    invitation_for_token,
)
from .models import InvitationStatus

BACKEND = "django.contrib.auth.backends.ModelBackend"


class NewAccountForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Choose a username"), max_length=150)
    password1 = forms.CharField(
        label=gettext_lazy("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=gettext_lazy("The password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class InvitationView(View):
    """GET: the invitation and what the visitor can do with it. POST ``action``: ``join`` (signed
    in), ``create`` (a new account) or ``decline``."""

    template_name = "tenancy/invitation.html"
    http_method_names = ["get", "post"]

    def dispatch(self, request, token):
        self.invitation = invitation_for_token(token)
        if self.invitation is None:
            return render(
                request,
                "tenancy/invitation_closed.html",
                {"message": _("This link is not valid.")},
                status=404,
            )
        self.token = token
        return super().dispatch(request, token)

    def get(self, request, token, form=None, status=200):
        status_now = self.invitation.status
        if status_now != InvitationStatus.PENDING:
            return self.closed(closed_message(status_now))
        user = request.user
        context = {
            "invitation": self.invitation,
            "brand": self.invitation.tenant,
            "partner_name": self._partner_name(),
            "form": form or NewAccountForm(initial={"username": self._suggested_username()}),
            "signed_in": user.is_authenticated,
            "matches": user.is_authenticated
            and (user.email or "").strip().lower() == self.invitation.email.lower(),
            "login_url": reverse("login") + "?next=" + request.path,
        }
        return render(request, self.template_name, context, status=status)

    def post(self, request, token):
        action = request.POST.get("action")
        try:
            if action == "decline":
                invitation_decline(invitation=self.invitation, user=request.user)
                return self.closed(_("You declined the invitation. Nothing was changed."), status=200)
            if action == "join":
                membership = invitation_accept(invitation=self.invitation, user=request.user)
                return self.joined(membership)
            if action == "create" and not request.user.is_authenticated:
                return self.create(request, token)
        except InvitationClosed as exc:
            return self.closed(exc.messages[0])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self.get(request, token, status=400)
        return self.get(request, token, status=400)

    def create(self, request, token):
        form = NewAccountForm(request.POST)
        if form.is_valid():
            try:
                membership = invitation_accept_new(
                    invitation=self.invitation,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                )
            except InvitationClosed as exc:
                return self.closed(exc.messages[0])
            except ValidationError as exc:
                errors = dict(getattr(exc, "error_dict", {}))
                if "password" in errors:
                    errors["password1"] = errors.pop("password")
                    exc = ValidationError(errors)
                apply_service_errors(form, exc)
            else:
                login(request, membership.user, backend=BACKEND)
                return self.joined(membership)
        return self.get(request, token, form=form, status=400)

    def joined(self, membership):
        tenant = self.invitation.tenant
        messages.success(self.request, _("Welcome to %(tenant)s.") % {"tenant": tenant.name})
        return redirect("portal:dashboard", tenant=tenant.slug)

    def closed(self, message: str, status: int = 410):
        context = {"message": message, "brand": self.invitation.tenant}
        return render(self.request, "tenancy/invitation_closed.html", context, status=status)

    def _partner_name(self) -> str:
        partner_id = self.invitation.partner_id
        if not partner_id:
            return ""
        return partner_directory().partner_names(self.invitation.tenant, [partner_id]).get(partner_id, "")

    def _suggested_username(self) -> str:
        return self.invitation.email.split("@")[0]

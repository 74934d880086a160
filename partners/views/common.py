"""What the partners pages share: roles, object access, and posting to services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme

from prm.tenancy.choices import Role

from ..models import Partner
from ..selectors import partner_list

MANAGERS = frozenset({Role.ADMIN, Role.CHANNEL_MANAGER})
FIELD_STAFF = frozenset({Role.ADMIN, Role.CHANNEL_MANAGER, Role.REGIONAL_LEAD})


class PartnerObjectMixin:
    """Pages about one partner: ``self.partner`` is 404 unless it is the caller's to see."""

    model = Partner

    def get_partner(self):
        if not hasattr(self, "_partner"):
            self._partner = get_object_or_404(
                self.scoped(partner_list(tenant=self.tenant)), pk=self.kwargs["pk"]
            )
        return self._partner


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

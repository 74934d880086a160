"""The tenant's two-factor page (admins): require it of the staff, and who has set it up."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from prm.portal.views import TenantPageMixin
from prm.tenancy.capabilities import Capability

from . import services
from .devices import staff_two_factor
from .forms import PolicyForm
from .policy import staff_must_use_two_factor


class PolicyView(TenantPageMixin, TemplateView):
    template_name = "twofactor/policy.html"
    capability = Capability.REQUIRE_TWO_FACTOR

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        required = staff_must_use_two_factor(self.tenant)
        staff = staff_two_factor(self.tenant)
        context.update(
            form=form or PolicyForm(initial={"required_for_staff": "yes" if required else "no"}),
            required=required,
            staff=staff,
            missing=sum(1 for member in staff if not member.two_factor),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PolicyForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        required = form.cleaned_data["required_for_staff"]
        services.policy_set(tenant=self.tenant, actor=request.user, required_for_staff=required)
        if required:
            messages.success(request, _("Two-factor sign-in is required of every staff member."))
        else:
            messages.success(request, _("Two-factor sign-in is optional."))
        return redirect("twofactor_policy:page", tenant=self.tenant.slug)

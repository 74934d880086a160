"""Each user chooses which notifications they get, per tenant."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from prm.portal.views import TenantPageMixin
from prm.tenancy.capabilities import Capability

from .models import NotificationPreference
from .registry import categories
from .services import preference_set


class PreferencesView(TenantPageMixin, TemplateView):
    template_name = "notifications/preferences.html"
    capability = Capability.OWN_SETTINGS
    partner_scope = "partner"  # the page shows only the caller's own settings

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        off = set(
            NotificationPreference.objects.for_tenant(self.tenant)
            .filter(user=self.request.user, enabled=False)
            .values_list("category", flat=True)
        )
        context["categories"] = [(code, label, code not in off) for code, label in categories().items()]
        return context

    def post(self, request, *args, **kwargs):
        chosen = set(request.POST.getlist("category"))
        for code in categories():
            preference_set(tenant=self.tenant, user=request.user, category=code, enabled=code in chosen)
        messages.success(request, _("Saved."))
        return redirect("notifications:preferences", tenant=self.tenant.slug)

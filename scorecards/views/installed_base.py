"""The installed base: registered products with their warranty and service dates (partners see
theirs), the reminders sent and the sales they turned into, and a CSV import."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView

from partners.models import Partner
from prm.portal.forms import CsvImportForm
from prm.portal.views import TenantPageMixin, import_page_response
from prm.tenancy.capabilities import Capability

from ..selectors import product_registration_list
from ..services.installed_base import installed_base_summary, registrations_import


class InstalledBaseView(TenantPageMixin, ListView):
    template_name = "scorecards/installed_base.html"
    context_object_name = "registrations"
    paginate_by = 50
    capability = Capability.READ
    post_capability = Capability.REGISTER_PRODUCTS
    partner_scope = "partner"

    def get_queryset(self):
        registrations = self.scoped(product_registration_list(tenant=self.tenant)).select_related("partner")
        if self.request.GET.get("due") == "90":
            today = timezone.localdate()
            soon = today + timedelta(days=90)

            registrations = registrations.filter(
                Q(next_service__gte=today, next_service__lte=soon)
                | Q(warranty_ends__gte=today, warranty_ends__lte=soon)
            )
        return registrations.order_by("next_service", "warranty_ends", "-date", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "import_form",
            CsvImportForm(
                help=_(
                    "Columns: customer, product, serial, date, customer_email, customer_language, customer_consent"
                    " (staff: and partner)."
                )
            ),
        )
        context["summary"] = installed_base_summary(self.tenant, self.get_queryset().values("pk"))
        context["today"] = timezone.localdate()
        return context

    def post(self, request, *args, **kwargs):
        self.object_list = self.get_queryset()
        own = (
            Partner.objects.for_tenant(self.tenant).get(pk=self.access.partner_id)
            if self.access.is_partner
            else None
        )
        return import_page_response(
            self,
            CsvImportForm(request.POST, request.FILES),
            lambda upload: registrations_import(
                tenant=self.tenant, file=upload, actor=request.user, partner=own
            ),
            _("Imported: %(c)d new registrations, %(u)d already there."),
            success_url=reverse("scorecards:installed-base", kwargs={"tenant": self.tenant.slug}),
        )

"""The audit trail page (admins and finance)."""

from django.views.generic import ListView

from prm.portal.views import TenantPageMixin
from prm.tenancy.capabilities import Capability

from .selectors import audit_entries


class AuditListView(TenantPageMixin, ListView):
    template_name = "audit/list.html"
    capability = Capability.READ_AUDIT
    paginate_by = 50
    context_object_name = "entries"

    def get_queryset(self):
        params = self.request.GET
        return self.scoped(
            audit_entries(
                tenant=self.tenant,
                action=params.get("action", ""),
                target_type=params.get("target_type", ""),
                target_id=params.get("target_id", ""),
            )
        )

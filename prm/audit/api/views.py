from rest_framework import mixins

from prm.api.pagination import KeysetPagination
from prm.api.views import TenantViewSet
from prm.audit.models import AuditEntry
from prm.audit.selectors import audit_entries
from prm.tenancy.capabilities import Capability

from .serializers import AuditEntrySerializer


class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The audit trail: who changed what, when and why (admins and finance)."""

    model = AuditEntry
    serializer_class = AuditEntrySerializer
    read_capability = Capability.READ_AUDIT
    filterset_fields = ["action", "target_type", "target_id"]
    pagination_class = KeysetPagination
    cursor_ordering = ("-created_at", "-id")  # the index (tenant, created_at desc, id desc)

    def base_queryset(self):
        return audit_entries(tenant=self.tenant)

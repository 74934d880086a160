"""Reads of the audit trail."""

from .models import AuditEntry


def audit_entries(*, tenant, action: str = "", target_type: str = "", target_id: str = ""):
    """The tenant's audit entries, newest first, optionally narrowed."""
    queryset = AuditEntry.objects.for_tenant(tenant).select_related("actor")
    if action:
        queryset = queryset.filter(action__startswith=action)
    if target_type:
        queryset = queryset.filter(target_type=target_type)
    if target_id:
        queryset = queryset.filter(target_id=str(target_id))
    return queryset

from django.contrib import admin

from prm.tenancy.admin import TenantOwnedAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(TenantOwnedAdmin):
    list_display = ["created_at", "tenant", "actor", "action", "target_repr"]
    list_filter = ["tenant", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False

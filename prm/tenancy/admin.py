"""Operators' admin. Tenant-owned models use ``TenantOwnedAdmin``; every admin view runs
across tenants on the operations connection (``admin_site.OperatorsAdminSite``)."""

from django.contrib import admin

from .models import Membership, Tenant


class TenantOwnedAdmin(admin.ModelAdmin):
    """The Django admin is for the installation's operators and sees every tenant."""

    list_filter = ["tenant"]

    def get_queryset(self, request):
        return self.model._base_manager.select_related("tenant")


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "currency", "default_language", "created_at"]
    search_fields = ["slug", "name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "tenant", "role", "is_active"]
    list_filter = ["tenant", "role"]
    search_fields = ["user__username", "user__email"]

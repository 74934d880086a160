from django.contrib import admin

from prm.tenancy.admin import TenantOwnedAdmin

from .models import Job


@admin.register(Job)
class JobAdmin(TenantOwnedAdmin):
    list_display = ["id", "tenant", "kind", "status", "progress", "created_at", "finished_at"]
    list_filter = ["tenant", "kind", "status"]

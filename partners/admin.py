from django.contrib import admin

from partners.models import Partner, PartnerUser
from prm.tenancy.admin import TenantOwnedAdmin


@admin.register(Partner)
class PartnerAdmin(TenantOwnedAdmin):
    list_display = ["name", "tenant", "region", "country"]
    search_fields = ["name"]


@admin.register(PartnerUser)
class PartnerUserAdmin(TenantOwnedAdmin):
    list_display = ["membership", "partner", "tenant"]

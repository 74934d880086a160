"""The operators' admin site: every admin page runs across tenants, on the operations connection.

The Django admin is for the installation's operators, not for tenants. Its
views run inside ``cross_tenant()``, so their queries go to the operations
role (``DATABASE_OPERATIONS_URL``), which may read every tenant; the web
role never can. Responses are rendered inside that scope too (a changelist
reads its rows while rendering).
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from .context import cross_tenant


class OperatorsAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def across_tenants(request, *args, **kwargs):
            with cross_tenant():
                response = inner(request, *args, **kwargs)
                if callable(getattr(response, "render", None)) and not response.is_rendered:
                    response.render()
                return response

        return across_tenants


class OperatorsAdminConfig(AdminConfig):
    default_site = "prm.tenancy.admin_site.OperatorsAdminSite"

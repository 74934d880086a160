"""Role permissions for tenant-scoped API views.

A view declares ``read_capability`` and ``write_capability`` (and, per
viewset action, ``action_capabilities``) from ``prm.tenancy.capabilities``;
the caller's membership role (resolved by ``TenantViewMixin``) must hold the
one that fits. Partner users are let in only where the view also declares
``partner_scope``, the lookup that restricts rows to their own partner.
"""

from rest_framework.permissions import BasePermission

from prm.tenancy.capabilities import allows


class HasTenantRole(BasePermission):
    message = "Your role may not do this."

    def has_permission(self, request, view):
        access = getattr(request, "tenant_access", None)
        if access is None:
            return False
        if access.is_partner and view.partner_scope is None:
            return False
        return allows(access.role, view.capability_for(request.method, getattr(view, "action", None)))

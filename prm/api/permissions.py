"""Role permissions for tenant-scoped API views.

A view declares ``read_roles`` and ``write_roles`` (and, per viewset action,
``action_roles``); the caller's membership role (resolved by
``TenantViewMixin``) must be in the one that fits. Partner users are let in only where the view also declares
``partner_scope``, the lookup that restricts rows to their own partner.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from prm.tenancy.choices import Role


class HasTenantRole(BasePermission):
    message = "Your role may not do this."

    def has_permission(self, request, view):
        access = getattr(request, "tenant_access", None)
        if access is None:
            return False
        roles = getattr(view, "action_roles", {}).get(getattr(view, "action", None))
        if roles is None:
            roles = view.read_roles if request.method in SAFE_METHODS else view.write_roles
        if access.role == Role.PARTNER and view.partner_scope is None:
            return False
        return access.role in roles

"""Portal pages under /t/<tenant>/ run inside their tenant's scope.

API views resolve the tenant themselves in ``prm.api.views.TenantViewMixin``
(token authentication happens inside DRF, after middleware).
"""

from django.contrib.auth.views import redirect_to_login
from rest_framework.views import APIView

from .access import tenant_access_for
from .context import enter_tenant, leave, reset_scope, restore_scope


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant_access = None
        request.tenant = None
        # every request starts with no tenant in scope, whatever ran before on this thread
        token = reset_scope()
        try:
            return self.get_response(request)
        finally:
            scope = getattr(request, "_tenant_scope", None)
            if scope is not None:
                leave(scope)
            restore_scope(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("tenant")
        if slug is None or _is_api_view(view_func):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access = tenant_access_for(request.user, slug)
        request.tenant_access = access
        request.tenant = access.tenant
        request._tenant_scope = enter_tenant(access.tenant, access.partner_id)
        return None


def _is_api_view(view_func) -> bool:
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)

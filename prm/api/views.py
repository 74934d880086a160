"""The base of every tenant-scoped API view: tenant first, then roles, then rows.

Order of checks for ``/api/v1/tenants/{tenant}/...``: an anonymous caller
gets 401; a caller who is not a member of the tenant gets 404 (as if the
tenant did not exist); a member whose role may not do the thing gets 403.
Rows are restricted centrally in ``get_queryset()``: to the tenant, and for
partner users to their partner through ``partner_scope``.
"""

from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from prm.jobs.api.serializers import JobSerializer
from prm.jobs.services import job_start
from prm.tenancy.access import partner_directory, restrict_to_access, tenant_access_for
from prm.tenancy.capabilities import Capability
from prm.tenancy.context import enter_tenant, leave

from .permissions import HasTenantRole


class TenantViewMixin:
    permission_classes = [HasTenantRole]
    read_capability = Capability.READ_VENDOR_SIDE
    #: None: the view changes nothing (every write is 403)
    write_capability: Capability | None = None
    #: The capability per viewset action, where an action differs from read/write.
    action_capabilities: dict = {}
    #: Lookup from the listed model to the partner (e.g. "partner", or "id"
    #: for partners themselves); None keeps partner users out entirely.
    partner_scope: str | None = None

    @classmethod
    def capability_for(cls, method: str, action: str | None = None) -> Capability | None:
        """What the caller must hold for ``method`` (and the viewset ``action``) here."""
        if action in cls.action_capabilities:
            return cls.action_capabilities[action]
        return cls.read_capability if method in SAFE_METHODS else cls.write_capability

    def initial(self, request, *args, **kwargs):
        self.perform_authentication(request)
        if not request.user or not request.user.is_authenticated:
            self.permission_denied(request)  # 401 with WWW-Authenticate
        access = tenant_access_for(request.user, kwargs["tenant"])
        request.tenant_access = access
        request.tenant = access.tenant
        self._tenant_scope = enter_tenant(access.tenant, access.partner_id)
        super().initial(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        # leave the scope however the view ends: a crash must not carry it to the next request
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            scope = getattr(self, "_tenant_scope", None)
            if scope is not None:
                leave(scope)
                self._tenant_scope = None

    @property
    def tenant(self):
        return self.request.tenant

    @property
    def access(self):
        return self.request.tenant_access

    def scoped(self, queryset):
        """Restrict any queryset of this view to the tenant and, for partners, the partner."""
        return restrict_to_access(queryset, self.access, self.partner_scope)

    #: The model listed (also how the isolation test finds objects to probe).
    model = None

    def job_accepted(self, *, kind: str, task, params: dict | None = None):
        """Start ``task`` as a job for this tenant and answer 202 with the job to follow."""

        job = job_start(
            tenant=self.tenant, kind=kind, task=task, requested_by=self.request.user, params=params
        )
        return Response(
            JobSerializer(job, context=self.get_serializer_context()).data, status=status.HTTP_202_ACCEPTED
        )

    def writing_partner(self, given):
        """The partner a write is for: a partner user's own, whatever it sent; staff must name one."""
        if self.access.is_partner:
            return partner_directory().partners(self.tenant).get(pk=self.access.partner_id)
        if given is None:
            raise ValidationError({"partner": ["This field is required."]})
        return given

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # OpenAPI generation, no request
            return self.model._base_manager.none()
        return self.scoped(self.base_queryset())

    def base_queryset(self):
        """The view's rows before scoping: call a selector here."""
        raise NotImplementedError

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self.request, "tenant", None) is not None:
            context["tenant"] = self.request.tenant
            context["access"] = self.request.tenant_access
        return context


class TenantViewSet(TenantViewMixin, viewsets.GenericViewSet):
    """GenericViewSet with tenant scoping; add the mixins a resource needs."""

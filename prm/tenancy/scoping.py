"""The abstract tenant-owned model and its fail-closed manager."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .context import TenantScopeError, current_scope


class TenantQuerySet(models.QuerySet):
    def for_tenant(self, tenant):
        return self.filter(tenant=tenant)


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Returns only the current tenant's rows; with no tenant in scope, raises.

    ``Model.objects.for_tenant(t)`` also works with no tenant in scope: the
    caller named the tenant explicitly (services and selectors take it as an
    argument).
    """

    def get_queryset(self):
        scope = current_scope()
        queryset = super().get_queryset()
        if scope.tenant_id is not None:
            return queryset.filter(tenant_id=scope.tenant_id)
        if scope.cross_tenant:
            return queryset
        raise TenantScopeError(
            f"{self.model._meta.label} queried with no tenant in scope; "
            "use tenant_context(), Model.objects.for_tenant(t) or cross_tenant()."
        )

    def for_tenant(self, tenant):
        return super().get_queryset().filter(tenant=tenant)


class TenantOwned(models.Model):
    """Base of every table that belongs to one tenant.

    ``objects`` fails closed; ``_base_manager`` stays Django's plain manager
    (used for related-object access and deletion cascades, which start from
    an object already scoped).
    """

    tenant = models.ForeignKey(
        "tenancy.Tenant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tenant"),
        editable=False,
    )

    objects = TenantManager()

    class Meta:
        abstract = True

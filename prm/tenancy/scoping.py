"""The abstract tenant-owned model and its fail-closed manager.

``Model.objects`` returns the current tenant's rows. With no tenant in scope
it still hands out a queryset (libraries build querysets for metadata at
import time), but that queryset refuses to run: compiling it to SQL, or
updating through it, raises ``TenantScopeError``. Explicit forms work
anywhere: ``Model.objects.for_tenant(t)`` and, for cross-tenant jobs, the
named escape hatch ``tenancy.context.cross_tenant()``.
"""

from django.db import models
from django.db.models.sql import Query
from django.utils.translation import gettext_lazy as _

from .context import TenantScopeError, current_scope


def _refuse(model) -> None:
    raise TenantScopeError(
        f"{model._meta.label} queried with no tenant in scope; use tenant_context(), "
        "Model.objects.for_tenant(tenant) or cross_tenant()."
    )


class TenantQuery(Query):
    #: Set on querysets made with no tenant in scope; copied by clone().
    tenant_scope_missing = False

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        if self.tenant_scope_missing:
            _refuse(self.model)
        return super().get_compiler(using, connection, elide_empty)


class TenantQuerySet(models.QuerySet):
    def __init__(self, model=None, query=None, using=None, hints=None):
        super().__init__(model, query or TenantQuery(model), using, hints)

    def update(self, **kwargs):
        if getattr(self.query, "tenant_scope_missing", False):
            _refuse(self.model)
        return super().update(**kwargs)

    update.alters_data = True


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Returns only the current tenant's rows; with no tenant in scope, refuses to run."""

    def get_queryset(self):
        scope = current_scope()
        queryset = super().get_queryset()
        if scope.tenant_id is not None:
            return queryset.filter(tenant_id=scope.tenant_id)
        if not scope.cross_tenant:
            queryset.query.tenant_scope_missing = True
        return queryset

    def for_tenant(self, tenant):
        """The tenant's rows, named explicitly (works with or without a scope)."""
        return super().get_queryset().filter(tenant=tenant)

    def none(self):
        # An empty queryset leaks nothing; schema generators ask for one.
        return super().get_queryset().none()


class TenantOwned(models.Model):
    """Base of every table that belongs to one tenant.

    ``objects`` fails closed, and so do reverse related managers built on it
    (``partner.contacts``): code that follows them needs a tenant in scope.
    ``_base_manager`` stays Django's plain manager; Django uses it for
    forward relations (``visit.partner``) and deletion cascades, which start
    from an object already scoped.
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

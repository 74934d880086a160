"""The abstract tenant-owned model and its fail-closed manager.

``Model.objects`` returns the current tenant's rows. With no tenant in scope
it still hands out a queryset (libraries build querysets for metadata at
import time), but that queryset refuses to run: compiling it to SQL, or
updating through it, raises ``TenantScopeError``. Explicit forms work
anywhere: ``Model.objects.for_tenant(t)`` and, for cross-tenant jobs, the
named ``tenancy.context.cross_tenant()``.

``for_tenant(t)`` run where no tenant is in scope runs its statements in
``t``'s scope, so the database's row-level security admits them too (a
management command, a test's assertion). Inside another tenant's scope it
does not: the database then answers for the scope's tenant only, and a
query naming another tenant finds nothing.
"""

import contextlib
import functools

from django.db import models
from django.db.models.options import Options
from django.db.models.signals import class_prepared
from django.db.models.sql import Query
from django.dispatch import receiver
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .context import TenantScopeError, current_scope, tenant_context


def _refuse(model) -> None:
    raise TenantScopeError(
        f"{model._meta.label} queried with no tenant in scope; use tenant_context(), "
        "Model.objects.for_tenant(tenant) or cross_tenant()."
    )


def _explicit_scope(tenant_id: int | None):
    """The scope a ``for_tenant`` statement runs in: its tenant's, when nothing else is in scope."""
    scope = current_scope()
    if tenant_id is None or scope.tenant_id is not None or scope.cross_tenant:
        return contextlib.nullcontext()
    return tenant_context(tenant_id)


class TenantQuery(Query):
    #: Set on querysets made with no tenant in scope; copied by clone().
    tenant_scope_missing = False
    #: The tenant a ``for_tenant`` queryset names; copied by clone().
    explicit_tenant_id = None

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        if self.tenant_scope_missing:
            _refuse(self.model)
        compiler = super().get_compiler(using, connection, elide_empty)
        if self.explicit_tenant_id is not None:
            execute_sql = compiler.execute_sql

            def execute_in_scope(*args, **kwargs):
                with _explicit_scope(self.explicit_tenant_id):
                    return execute_sql(*args, **kwargs)

            compiler.execute_sql = execute_in_scope
        return compiler


def _in_explicit_scope(method):
    """Run a queryset method that writes in the scope ``for_tenant`` named (see above)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if getattr(self.query, "tenant_scope_missing", False):
            _refuse(self.model)
        with _explicit_scope(getattr(self.query, "explicit_tenant_id", None)):
            return method(self, *args, **kwargs)

    wrapper.alters_data = True
    return wrapper


class TenantQuerySet(models.QuerySet):
    def __init__(self, model=None, query=None, using=None, hints=None):
        super().__init__(model, query or TenantQuery(model), using, hints)

    def explicit_scope(self):
        """The scope this queryset's statements run in (see the module's docstring)."""
        return _explicit_scope(getattr(self.query, "explicit_tenant_id", None))

    update = _in_explicit_scope(models.QuerySet.update)
    delete = _in_explicit_scope(models.QuerySet.delete)
    create = _in_explicit_scope(models.QuerySet.create)
    bulk_create = _in_explicit_scope(models.QuerySet.bulk_create)
    bulk_update = _in_explicit_scope(models.QuerySet.bulk_update)
    get_or_create = _in_explicit_scope(models.QuerySet.get_or_create)
    update_or_create = _in_explicit_scope(models.QuerySet.update_or_create)


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
        queryset = super().get_queryset().filter(tenant=tenant)
        queryset.query.explicit_tenant_id = tenant if isinstance(tenant, int) else tenant.pk
        return queryset

    def none(self):
        # An empty queryset leaks nothing; schema generators ask for one.
        return super().get_queryset().none()


class TenantBaseManager(models.Manager.from_queryset(TenantQuerySet)):
    """Django's plain base manager, plus the tenant of the instance a relation starts from.

    ``visit.partner`` asks the base manager with the visit as its hint; the
    query then names the visit's tenant, as ``for_tenant`` does.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        tenant_id = getattr(self._hints.get("instance"), "tenant_id", None)
        if tenant_id is not None:
            queryset.query.explicit_tenant_id = tenant_id
        return queryset


class InItsTenantScope(models.Model):
    """An instance names its tenant: with nothing in scope, its own writes and
    reloads run in that tenant's scope (as ``for_tenant`` queries do)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with _explicit_scope(self.tenant_id):
            return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with _explicit_scope(self.tenant_id):
            return super().delete(*args, **kwargs)

    def refresh_from_db(self, *args, **kwargs):
        with _explicit_scope(self.tenant_id):
            return super().refresh_from_db(*args, **kwargs)


class TenantOwned(InItsTenantScope):
    """Base of every table that belongs to one tenant.

    ``objects`` fails closed, and so do reverse related managers built on it
    (``partner.contacts``): code that follows them needs a tenant in scope.
    ``_base_manager`` is Django's plain manager (``TenantBaseManager``); Django
    uses it for forward relations (``visit.partner``) and deletion cascades,
    which start from an object that names its tenant.
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


class TenantOptions(Options):
    """A tenant-owned model's options: its base manager is a ``TenantBaseManager``.

    Set in place of the plain options so that migrations see no manager change.
    """

    @cached_property
    def base_manager(self):
        manager = TenantBaseManager()
        manager.name, manager.model, manager.auto_created = "_base_manager", self.model, True
        return manager


@receiver(class_prepared)
def _use_tenant_base_manager(sender, **kwargs):
    """Every tenant-owned model's ``_base_manager`` follows the tenant of the relation's instance."""
    if issubclass(sender, TenantOwned) and not sender._meta.abstract:
        sender._meta.__class__ = TenantOptions
        sender._meta.__dict__.pop("base_manager", None)

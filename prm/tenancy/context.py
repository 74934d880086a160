"""The current tenant (and partner) of a request or task, held in contextvars.

Fails closed: a tenant-owned query without a current tenant raises
``TenantScopeError``. Work that must see several tenants (operators' admin,
provisioning checks) runs in ``cross_tenant()``, named so it is visible in
review; its queries go to the operations connection, whose
role may cross tenants (``routers.py``). Every statement sent on a
connection carries the scope of its moment as the session settings the
row-level security policies read (``dbscope.py``, ``rls.py``), so raw SQL is
fenced in too.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass


class TenantScopeError(RuntimeError):
    """A tenant-owned table was queried with no tenant in scope."""


@dataclass(frozen=True)
class Scope:
    tenant_id: int | None = None
    partner_id: int | None = None
    cross_tenant: bool = False


_NO_SCOPE = Scope()
_scope: ContextVar[Scope] = ContextVar("prm_scope", default=_NO_SCOPE)  # noqa: B039 (frozen)


def current_scope() -> Scope:
    return _scope.get()


def current_tenant_id() -> int | None:
    return _scope.get().tenant_id


def current_partner_id() -> int | None:
    return _scope.get().partner_id


@contextlib.contextmanager
def _scoped(scope: Scope):
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def tenant_context(tenant, partner_id: int | None = None):
    """Run the block for one tenant (and, for a partner user, one partner)."""
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    return _scoped(Scope(tenant_id=tenant_id, partner_id=partner_id))


def cross_tenant():
    """Work across tenants: the block's queries may read every tenant's rows.

    They run on the ``operations`` connection (its own role,
    ``DATABASE_OPERATIONS_URL``); with one database URL only they run on the
    default connection, where row-level security still applies unless that
    role is exempt from it.
    """
    return _scoped(Scope(cross_tenant=True))


_user: ContextVar[int | None] = ContextVar("prm_user", default=None)


def current_user_id() -> int | None:
    return _user.get()


@contextlib.contextmanager
def user_context(user_id: int | None):
    """Run the block as ``user_id``: the database then also admits that user's own memberships
    in every tenant (the tenant switcher, the tenant list), and nothing else of other tenants."""
    token = _user.set(user_id)
    try:
        yield
    finally:
        _user.reset(token)


def reset_scope():
    """Start from no scope (Python side); returns the token for ``restore_scope``."""
    return _scope.set(_NO_SCOPE)


def restore_scope(token) -> None:
    _scope.reset(token)


def enter_tenant(tenant, partner_id: int | None = None):
    """Enter a tenant scope without a ``with`` block; returns what ``leave`` needs.

    For request/response hooks that cannot wrap the view in a ``with``.
    """
    cm = tenant_context(tenant, partner_id)
    cm.__enter__()
    return cm


def leave(cm) -> None:
    cm.__exit__(None, None, None)

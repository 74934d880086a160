"""Audit entries of tokens. A token belongs to a user, not to a tenant: its entry is written in each
tenant the user is an active member of (and in ``also_in``, e.g. the tenant whose membership just
ended), each in that tenant's scope, so each tenant's trail tells its own story."""

from __future__ import annotations

from prm.audit.events import audit_record
from prm.tenancy.context import tenant_context
from prm.tenancy.selectors import memberships_of

from .models import ApiToken


def tenants_of(user, also_in=()) -> list:
    tenants = {m.tenant_id: m.tenant for m in memberships_of(user)}
    for tenant in also_in:
        tenants.setdefault(tenant.pk, tenant)
    return list(tenants.values())


def record(token: ApiToken, action: str, *, actor, reason: str = "", changes=None, also_in=()) -> int:
    """Write ``action`` on ``token`` in every tenant of its user; returns how many entries."""
    tenants = tenants_of(token.user, also_in)
    for tenant in tenants:
        with tenant_context(tenant):
            audit_record(
                tenant=tenant, actor=actor, action=action, target=token, changes=changes, reason=reason
            )
    return len(tenants)

"""Audit entries, written by the services that made the change (never by views or signals)."""

from __future__ import annotations

from .actions import is_registered
from .models import AuditEntry


def audit_record(
    *, tenant, actor, action: str, target, changes: dict | None = None, reason: str = ""
) -> AuditEntry:
    """Record that ``actor`` did ``action`` to ``target`` in ``tenant``, and why.

    ``changes`` maps a field to ``[before, after]`` (JSON-serialisable values).
    Call it inside the service's transaction so the entry and the change
    commit or roll back together.
    """
    if not is_registered(action):
        raise ValueError(f"{action!r} is no registered audit action (prm.audit.actions)")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.for_tenant(tenant).create(
        tenant=tenant,
        actor=user,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        changes=changes or {},
        reason=reason,
    )

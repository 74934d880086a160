"""What the audit trail lets apps plug in (see ``prm.plugs``): their enumerations of audit actions,
``audit_actions = [PartnerAudit]``."""

from prm.plugs import Kind

from .actions import AuditActions, register_actions

kinds = [Kind("audit_actions", AuditActions, register_actions)]

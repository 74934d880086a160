"""What API tokens plug in (see ``prm.plugs``)."""

from .audit_actions import ApiTokenAudit

audit_actions = [ApiTokenAudit]

"""What tenancy plugs in (see ``prm.plugs``)."""

from .audit_actions import TenancyAudit

audit_actions = [TenancyAudit]

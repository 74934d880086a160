"""What single sign-on plugs in (see ``prm.plugs``)."""

from .audit_actions import SsoAudit

audit_actions = [SsoAudit]

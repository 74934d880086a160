"""What tenancy records in the audit trail."""

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class TenancyAudit(AuditActions):
    MEMBER_ADDED = "membership.added", _("Member added")
    MEMBER_REMOVED = "membership.removed", _("Member removed")
    ROLE_CHANGED = "membership.role_changed", _("Member's role changed")

"""What tenancy records in the audit trail."""

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class TenancyAudit(AuditActions):
    MEMBER_ADDED = "membership.added", _("Member added")
    MEMBER_REMOVED = "membership.removed", _("Member removed")
    ROLE_CHANGED = "membership.role_changed", _("Member's role changed")
    INVITATION_SENT = "invitation.sent", _("Invitation sent")
    INVITATION_RESENT = "invitation.resent", _("Invitation sent again")
    INVITATION_REVOKED = "invitation.revoked", _("Invitation withdrawn")
    INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted")
    INVITATION_DECLINED = "invitation.declined", _("Invitation declined")

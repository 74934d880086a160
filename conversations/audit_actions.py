from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class ConversationAudit(AuditActions):
    REQUEST_RAISED = "partner_request.raised", _("Partner request raised")
    REQUEST_ANSWERED = "partner_request.answered", _("Partner request answered")
    REQUEST_CLOSED = "partner_request.closed", _("Partner request closed")

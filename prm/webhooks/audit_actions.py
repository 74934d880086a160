"""What webhooks record in the audit trail."""

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class WebhookAudit(AuditActions):
    CREATED = "webhook.created", _("Webhook endpoint registered")
    CHANGED = "webhook.changed", _("Webhook endpoint changed")

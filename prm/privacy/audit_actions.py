"""What personal-data work records in the audit trail (counts of record kinds, never the values)."""

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class PrivacyAudit(AuditActions):
    EXPORTED = "personal_data.exported", _("Personal data exported")
    ERASED = "personal_data.erased", _("Personal data erased")
    RETENTION = "personal_data.retention_applied", _("Retention applied (old audit rows, lost partners)")

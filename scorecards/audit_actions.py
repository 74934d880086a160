"""What scorecards/ records in the audit trail."""

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class ScorecardAudit(AuditActions):
    KPI_SAVED = "kpi.saved", _("KPI saved")

"""What scorecards/ records in the audit trail."""

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class ScorecardAudit(AuditActions):
    KPI_SAVED = "kpi.saved", _("KPI saved")
    PLAN_SAVED = "business_plan.saved", _("Business plan saved")
    PLAN_PROPOSED = "business_plan.proposed", _("Business plan proposed")
    PLAN_AGREED = "business_plan.agreed", _("Business plan agreed")
    PLAN_CHANGES_REQUESTED = "business_plan.changes_requested", _("Changes to a business plan asked")

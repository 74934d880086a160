"""What incentives/ records in the audit trail."""

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class IncentiveAudit(AuditActions):
    RULE_CREATED = "rule.created", _("Incentive rule created")
    RULE_EDITED = "rule.edited", _("Incentive rule edited")
    RATE_ADDED = "rate.added", _("Exchange rate added")
    RUN_ADJUSTED = "payout_run.adjusted", _("Payout run adjusted")
    RUN_APPROVED = "payout_run.approved", _("Payout run approved")
    RUN_EXPORTED = "payout_run.exported", _("Payout run exported")
    RUN_PAID = "payout_run.paid", _("Payout run payment recorded")
    WARNINGS_ACKNOWLEDGED = "payout_run.warnings_acknowledged", _("Payout run warnings acknowledged")
    MDF_REQUESTED = "mdf.requested", _("MDF requested")
    MDF_REQUEST_DECIDED = "mdf.request_decided", _("MDF request decided")
    MDF_CLAIMED = "mdf.claimed", _("MDF claimed")
    MDF_CLAIM_DECIDED = "mdf.claim_decided", _("MDF claim decided")

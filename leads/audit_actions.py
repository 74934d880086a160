from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class LeadAudit(AuditActions):
    LEAD_CREATED = "lead.created", _("Lead entered")
    LEADS_IMPORTED = "lead.imported", _("Leads imported")
    LEAD_ANSWERED = "lead.answered", _("Lead accepted or declined")
    LEAD_CONVERTED = "lead.converted", _("Lead converted to a deal registration")
    LEAD_RULE_SAVED = "lead_rule.saved", _("Lead rule saved")
    LEAD_RULE_DELETED = "lead_rule.deleted", _("Lead rule deleted")

"""What partners/ records in the audit trail."""

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class PartnerAudit(AuditActions):
    CREATED = "partner.created", _("Partner created")
    UPDATED = "partner.updated", _("Partner updated")
    IMPORTED = "partner.imported", _("Partners imported")
    STAGE_MOVED = "partner.stage_moved", _("Stage moved")
    APPROVAL_REQUESTED = "partner.approval_requested", _("Approval for signing asked")
    APPROVED_FOR_SIGNING = "partner.approved_for_signing", _("Approved for signing")
    RELATIONSHIP_CHANGED = "partner.relationship_changed", _("Relationship depth changed")
    TIER_OVERRIDDEN = "partner.tier_overridden", _("Tier overridden")
    TIER_OVERRIDE_REMOVED = "partner.tier_override_removed", _("Tier override removed")
    CONTACT_CHANGED = "contact.changed", _("Contact changed")
    CONTACT_REMOVED = "contact.removed", _("Contact removed")
    SELECTION_ASSESSED = "assessment.selection", _("Selection assessment recorded")
    STRATEGIC_REVIEWED = "assessment.strategic", _("Strategic review recorded")
    TIER_ASSESSED = "assessment.tier", _("Tier assessment recorded")
    DEAL_DECIDED = "deal.decided", _("Deal registration decided")
    DEAL_EXTENDED = "deal.extended", _("Deal protection extended")
    DEAL_CLOSED = "deal.closed", _("Deal won or lost")
    DEAL_WITHDRAWN = "deal.withdrawn", _("Deal registration withdrawn")
    PLAYBOOK_CHANGED = "playbook.changed", _("Playbook changed")
    PROGRAMME_CHANGED = "programme.changed", _("Programme settings changed")
    BENEFIT_SAVED = "tier_benefit.saved", _("Tier benefit saved")
    BENEFIT_DELETED = "tier_benefit.deleted", _("Tier benefit deleted")
    REFERENCE_SAVED = "reference.saved", _("Reference list value saved")
    SALES_RECONVERTED = "sales.reconverted", _("Sales re-converted at a new exchange rate")

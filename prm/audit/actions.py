"""What each audit action is called in words people read; the trail stores the stable code."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "agreement_template.published": _("Agreement version published"),
    "announcement.published": _("Announcement published"),
    "checklist.step_added": _("Onboarding step added"),
    "checklist.step_done": _("Onboarding step ticked"),
    "contact.changed": _("Contact changed"),
    "contact.removed": _("Contact removed"),
    "agreement.signed": _("Agreement signed"),
    "deal.closed": _("Deal won or lost"),
    "deal.decided": _("Deal registration decided"),
    "deal.extended": _("Deal protection extended"),
    "kpi.saved": _("KPI saved"),
    "mdf.claim_decided": _("MDF claim decided"),
    "mdf.claimed": _("MDF claimed"),
    "mdf.request_decided": _("MDF request decided"),
    "mdf.requested": _("MDF requested"),
    "membership.added": _("Member added"),
    "membership.removed": _("Member removed"),
    "membership.role_changed": _("Member's role changed"),
    "partner.approval_requested": _("Approval for signing asked"),
    "partner.approved_for_signing": _("Approved for signing"),
    "partner.created": _("Partner created"),
    "partner.imported": _("Partners imported"),
    "partner.relationship_changed": _("Relationship depth changed"),
    "partner.stage_moved": _("Stage moved"),
    "partner.tier_overridden": _("Tier overridden"),
    "partner.tier_override_removed": _("Tier override removed"),
    "partner.updated": _("Partner updated"),
    "payout_run.adjusted": _("Payout run adjusted"),
    "payout_run.approved": _("Payout run approved"),
    "payout_run.exported": _("Payout run exported"),
    "payout_run.paid": _("Payout run payment recorded"),
    "payout_run.warnings_acknowledged": _("Payout run warnings acknowledged"),
    "playbook.changed": _("Playbook changed"),
    "programme.changed": _("Programme settings changed"),
    "rate.added": _("Exchange rate added"),
    "rule.created": _("Incentive rule created"),
    "rule.edited": _("Incentive rule edited"),
    "webhook.changed": _("Webhook endpoint changed"),
    "webhook.created": _("Webhook endpoint registered"),
}


def label(action: str) -> str:
    """The action in words (the code itself, made readable, for one not listed here)."""
    return str(LABELS.get(action) or action.replace("_", " ").replace(".", ": ").capitalize())

"""A partner's tier moving: a manager's override, and the e-mail telling a moved partner's users
what its new tier changes in their rights.

The recompute that moves every partner's tier is ``services.tiers``; it and the override both tell
the partners here (``tier_rights_notify``). A computed tier in words is ``partners.tiering.explanation``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.audit_actions import PartnerAudit
from partners.choices import Tier
from partners.models import Partner, TierChange
from partners.selectors import partner_accounts
from partners.tiering.benefits import benefits_by_tier
from prm.audit.events import audit_record
from prm.notifications import notify
from prm.webhooks.events import emit


@transaction.atomic
def tier_override(*, partner: Partner, actor, tier: str | None, reason: str = "") -> Partner:
    """Override the computed tier with a reason, or remove the override (``tier=None``)."""
    if tier is not None and tier not in Tier.values:
        raise ValidationError({"tier": [_("Use A, B, C or D.")]})
    if tier is not None and not reason.strip():
        raise ValidationError({"reason": [_("Say why the tier is overridden.")]})
    if tier is None and not partner.tier_override:
        return partner  # nothing to remove
    before = partner.tier
    partner.tier_override = tier or ""
    partner.tier_override_reason = reason if tier else ""
    partner.save(update_fields=["tier_override", "tier_override_reason"])
    TierChange.objects.for_tenant(partner.tenant_id).create(
        tenant_id=partner.tenant_id,
        partner=partner,
        from_tier=before or "",
        to_tier=partner.tier or "",
        is_override=True,
        reason=reason,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    tier_rights_notify(tenant=partner.tenant, moves=[(partner, before, partner.tier)])
    emit(
        tenant=partner.tenant,
        name="partner.tier_changed",
        data={
            "id": partner.pk,
            "from_tier": before or None,
            "to_tier": partner.tier or None,
            "override": bool(tier),
            "reason": reason,
        },
    )
    audit_record(
        tenant=partner.tenant,
        actor=actor,
        action=PartnerAudit.TIER_OVERRIDDEN if tier else PartnerAudit.TIER_OVERRIDE_REMOVED,
        target=partner,
        changes={"tier": [before or None, partner.tier or None]},
        reason=reason,
    )
    return partner


def tier_rights_notify(*, tenant, moves) -> int:
    """E-mail each moved partner's users what its new tier changes in its rights.

    ``moves`` is [(partner, from_tier, to_tier)] of tiers in force that changed; two queries
    (the partners' users, the tiers' benefits) and one e-mail per partner, after the commit."""
    moves = [(p, before, after) for p, before, after in moves if before != after and after]
    if not moves:
        return 0
    accounts = partner_accounts(tenant=tenant, partner_ids=[p.pk for p, _b, _a in moves])
    benefits = benefits_by_tier(tenant)
    sent = 0
    for partner, before, after in moves:
        if not accounts.get(partner.pk):
            continue
        old = {b.description for b in benefits.get(before or "", [])}
        new = benefits.get(after, [])
        sent += notify(
            tenant=tenant,
            users=accounts[partner.pk],
            category="tier_changes",
            subject=_("%(p)s is now in tier %(t)s") % {"p": partner.name, "t": after},
            template="notifications/tier_changed.txt",
            context={
                "partner": partner,
                "before": before,
                "after": after,
                "gained": [b for b in new if b.description not in old],
                "lost": sorted(old - {b.description for b in new}),
                "rights": new,
            },
        )
    return sent

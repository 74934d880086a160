"""Deal registrations: protection windows, channel conflicts, a manager's decision."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prm.audit.events import audit_record

from ..choices import DealStatus
from ..customers import customer_domain, normalise_customer
from ..models import DealRegistration, Partner
from ..programme import programme_for


@transaction.atomic
def deal_register(
    *,
    partner: Partner,
    actor,
    customer: str,
    expected_amount: Decimal,
    currency: str = "",
    product: str = "",
    customer_contact: str = "",
    self_sourced: bool = True,
) -> DealRegistration:
    """Register a deal, protected for the tenant's window. Conflicts are flagged, not refused."""
    tenant = partner.tenant
    key = normalise_customer(customer)
    if not key:
        raise ValidationError({"customer": [_("Name the customer.")]})
    now = timezone.now()
    deal = DealRegistration(
        tenant=tenant, partner=partner, customer=customer.strip(), customer_key=key,
        customer_domain=customer_domain(customer_contact), product=product,
        expected_amount=expected_amount, currency=(currency or tenant.currency).upper(),
        self_sourced=self_sourced, registered_at=now,
        expires_at=now + timedelta(days=programme_for(tenant).protection_days),
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    deal.full_clean(exclude=["tenant", "partner"])
    deal.save()
    return deal


@transaction.atomic
def deal_decide(*, deal: DealRegistration, actor, approve: bool, reason: str = "") -> DealRegistration:
    """A manager approves or rejects a pending registration, with the reason recorded."""
    deal = _locked(deal)
    if deal.status != DealStatus.PENDING:
        raise ValidationError({"status": [_("Only a pending registration can be decided.")]})
    if not approve and not reason.strip():
        raise ValidationError({"reason": [_("Say why the registration is rejected.")]})
    before = deal.status
    deal.status = DealStatus.APPROVED if approve else DealStatus.REJECTED
    deal.decided_by, deal.decided_at, deal.decision_reason = actor, timezone.now(), reason
    deal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        tenant=deal.tenant, actor=actor, action="deal.decided", target=deal,
        changes={"status": [before, deal.status]}, reason=reason,
    )  # fmt: skip
    return deal


@transaction.atomic
def deal_extend(*, deal: DealRegistration, actor, days: int, reason: str) -> DealRegistration:
    """Extend an open registration's protection window."""
    if deal.status not in (DealStatus.PENDING, DealStatus.APPROVED):
        raise ValidationError({"status": [_("Only an open registration can be extended.")]})
    if not 1 <= days <= 365:
        raise ValidationError({"days": [_("Extend by 1 to 365 days.")]})
    before = deal.expires_at
    deal.expires_at = max(deal.expires_at, timezone.now()) + timedelta(days=days)
    deal.save(update_fields=["expires_at"])
    audit_record(
        tenant=deal.tenant, actor=actor, action="deal.extended", target=deal,
        changes={"expires_at": [before.isoformat(), deal.expires_at.isoformat()]}, reason=reason,
    )  # fmt: skip
    return deal


@transaction.atomic
def deal_close(*, deal: DealRegistration, actor, won: bool) -> DealRegistration:
    """Record that an open registration was won or lost (feeds win rates)."""
    deal = _locked(deal)
    if deal.status not in (DealStatus.PENDING, DealStatus.APPROVED):
        raise ValidationError({"status": [_("Only an open registration can be closed.")]})
    before = deal.status
    deal.status = DealStatus.WON if won else DealStatus.LOST
    deal.closed_at = timezone.now()
    deal.save(update_fields=["status", "closed_at"])
    audit_record(
        tenant=deal.tenant,
        actor=actor,
        action="deal.closed",
        target=deal,
        changes={"status": [before, deal.status]},
    )
    return deal


def _locked(deal: DealRegistration) -> DealRegistration:
    return DealRegistration.objects.for_tenant(deal.tenant_id).select_for_update().get(pk=deal.pk)


def deals_expire(*, tenant) -> int:
    """Expire every open registration past its protection window (one UPDATE)."""
    return (
        DealRegistration.objects.for_tenant(tenant)
        .filter(status__in=[DealStatus.PENDING, DealStatus.APPROVED], expires_at__lt=timezone.now())
        .update(status=DealStatus.EXPIRED)
    )

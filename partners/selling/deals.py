"""Deal registrations: protection windows, channel conflicts, a manager's decision."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.audit_actions import PartnerAudit
from partners.choices import DealStatus, ReferenceKind
from partners.models import DealRegistration, Partner, PartnerUser, Sale
from partners.payloads import deal_payload
from partners.programme.settings import not_selling_message, programme_for
from partners.reference.vocabularies import Vocabulary
from partners.selectors import registered_by_partners
from partners.selling.customers import customer_domain, normalise_customer
from prm.audit.events import audit_record
from prm.sql import update_rows
from prm.webhooks.events import emit, emit_many


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
    programme = programme_for(tenant)
    if not programme.sells(partner.stage):
        raise ValidationError({"partner": [not_selling_message(partner, programme)]})
    key = normalise_customer(customer)
    if not key:
        raise ValidationError({"customer": [_("Name the customer.")]})
    try:
        product = Vocabulary(tenant).canonical(ReferenceKind.PRODUCT, product)
    except ValidationError as exc:
        raise ValidationError({"product": exc.messages}) from None
    now = timezone.now()
    deal = DealRegistration(
        tenant=tenant,
        partner=partner,
        customer=customer.strip(),
        customer_key=key,
        customer_domain=customer_domain(customer_contact),
        product=product,
        expected_amount=expected_amount,
        currency=(currency or tenant.currency).upper(),
        self_sourced=self_sourced,
        registered_at=now,
        expires_at=now + timedelta(days=programme.protection_days),
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    deal.full_clean(exclude=["tenant", "partner"])
    deal.save()
    emit(tenant=tenant, name="deal.registered", data=lambda: deal_payload(deal))
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
        tenant=deal.tenant,
        actor=actor,
        action=PartnerAudit.DEAL_DECIDED,
        target=deal,
        changes={"status": [before, deal.status]},
        reason=reason,
    )
    emit(tenant=deal.tenant_id, name="deal.decided", data=lambda: deal_payload(deal))
    if approve:  # a sale booked while it waited wins it now (where the tenant wants that)
        booked = Sale.objects.for_tenant(deal.tenant_id).filter(
            partner_id=deal.partner_id, date__gte=deal.registered_at.date(), customer_key=deal.customer_key
        )
        if deals_won_by_sales(tenant=deal.tenant, sales=booked):
            deal.refresh_from_db()
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
        tenant=deal.tenant,
        actor=actor,
        action=PartnerAudit.DEAL_EXTENDED,
        target=deal,
        changes={"expires_at": [before.isoformat(), deal.expires_at.isoformat()]},
        reason=reason,
    )
    return deal


@transaction.atomic
def deal_close(
    *, deal: DealRegistration, actor, won: bool, amount: Decimal | None = None, note: str = ""
) -> DealRegistration:
    """Record that an approved registration was won (for ``amount``, default its expected amount) or lost.

    Closing is the vendor's act (``close_deal``): won and lost deals feed the win rate (tiers,
    scorecards), the strategic-deal bonus and the commission multiplier. A registration nobody has
    approved cannot be won or lost; it is decided, withdrawn or expires.
    """
    deal = _locked(deal)
    if deal.status == DealStatus.PENDING:
        raise ValidationError(
            {"status": [_("This registration is still pending: approve it before it can be won or lost.")]}
        )
    if deal.status != DealStatus.APPROVED:
        raise ValidationError({"status": [_("Only an approved, open registration can be won or lost.")]})
    if amount is not None and amount < 0:
        raise ValidationError({"amount": [_("A won amount is zero or more.")]})
    before = deal.status
    deal.status = DealStatus.WON if won else DealStatus.LOST
    deal.closed_at = timezone.now()
    deal.closed_amount = (amount if amount is not None else deal.expected_amount) if won else None
    deal.closed_note = note.strip()
    deal.save(update_fields=["status", "closed_at", "closed_amount", "closed_note"])
    audit_record(
        tenant=deal.tenant,
        actor=actor,
        action=PartnerAudit.DEAL_CLOSED,
        target=deal,
        changes={"status": [before, deal.status], "amount": [None, str(deal.closed_amount or "")]},
        reason=deal.closed_note,
    )
    emit(tenant=deal.tenant_id, name="deal.closed", data=lambda: deal_payload(deal))
    return deal


@transaction.atomic
def deal_withdraw(*, deal: DealRegistration, actor, reason: str = "") -> DealRegistration:
    """The registering side takes back a pending registration: it no longer protects the customer,
    counts neither as won nor as lost, and frees the customer for other partners' registrations.

    A partner's users withdraw their partner's registrations; staff withdraw those staff made. A
    registration a partner made is the partner's to withdraw: the vendor rejects it, with a reason."""
    deal = _locked(deal)
    if deal.status != DealStatus.PENDING:
        raise ValidationError({"status": [_("Only a pending registration can be withdrawn.")]})
    partner_side = PartnerUser.objects.for_tenant(deal.tenant_id).filter(
        membership__user_id=actor.pk, partner_id=deal.partner_id
    )
    if not partner_side.exists() and deal.pk in registered_by_partners(tenant=deal.tenant_id, deals=[deal]):
        raise ValidationError(
            {
                "status": [
                    _("The partner registered this deal: reject it with a reason instead of withdrawing it.")
                ]
            }
        )
    deal.status = DealStatus.WITHDRAWN
    deal.closed_at, deal.closed_note = timezone.now(), reason.strip()
    deal.save(update_fields=["status", "closed_at", "closed_note"])
    audit_record(
        tenant=deal.tenant,
        actor=actor,
        action=PartnerAudit.DEAL_WITHDRAWN,
        target=deal,
        changes={"status": [DealStatus.PENDING, DealStatus.WITHDRAWN]},
        reason=deal.closed_note,
    )
    emit(tenant=deal.tenant_id, name="deal.withdrawn", data=lambda: deal_payload(deal))
    return deal


def deals_won_by_sales(*, tenant, sales) -> int:
    """Approved registrations of the selling partner for the sale's customer become won (if the tenant
    wants it); a pending one waits for its decision.

    One statement however many sales (an import); each deal won is audited.
    """
    if not programme_for(tenant).deals_auto_win:
        return 0
    keys = {}
    for sale in sales:
        key = (sale.partner_id, normalise_customer(sale.customer or ""))
        if key[1]:
            keys[key] = keys.get(key, Decimal(0)) + sale.amount
    if not keys:
        return 0
    open_deals = DealRegistration.objects.for_tenant(tenant).filter(
        status=DealStatus.APPROVED,
        partner_id__in={p for p, _ in keys},
        customer_key__in={k for _, k in keys},
    )
    won = [deal for deal in open_deals if (deal.partner_id, deal.customer_key) in keys]
    now = timezone.now()
    for deal in won:
        deal.status, deal.closed_at = DealStatus.WON, now
        deal.closed_amount = keys[(deal.partner_id, deal.customer_key)]
        deal.closed_note = _("Won by a booked sale to this customer.")
    update_rows(
        DealRegistration, won, ["status", "closed_at", "closed_amount", "closed_note"], tenant_id=tenant.pk
    )
    for deal in won:
        audit_record(
            tenant=tenant,
            actor=None,
            action=PartnerAudit.DEAL_CLOSED,
            target=deal,
            changes={"status": [DealStatus.APPROVED, DealStatus.WON]},
            reason=deal.closed_note,
        )
    emit_many(tenant=tenant, name="deal.closed", items=lambda: [deal_payload(deal) for deal in won])
    return len(won)


def _locked(deal: DealRegistration) -> DealRegistration:
    return DealRegistration.objects.for_tenant(deal.tenant_id).select_for_update().get(pk=deal.pk)


def deals_expire(*, tenant) -> int:
    """Expire every open registration past its protection window (one UPDATE)."""
    return (
        DealRegistration.objects.for_tenant(tenant)
        .filter(status__in=[DealStatus.PENDING, DealStatus.APPROVED], expires_at__lt=timezone.now())
        .update(status=DealStatus.EXPIRED)
    )

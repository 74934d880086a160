"""Redeeming points: request (the price reserved at once), decide, fulfil, cancel.

Locks, always in this order, so that two moves at the same moment wait for each other instead of
deadlocking: the partner's row, then the item's row, then the redemption's row. Under those locks
the balance and the stock are read and written, so that two redemptions of the last points or the
last item cannot both pass.

Every movement of points is a ledger row (``incentives.models.PointsEntry``) with its reason in
the tenant's language: −price when requested (``reserve_entry``), +price when refused or cancelled
(``return_entry``). An approved and delivered redemption keeps its reserve as the debit. The
partner's users are e-mailed the decision (``mail.tell_partner``). A prize is granted by
``grants.redemption_grant`` instead: approved at once, no points, no ledger rows.

Who may: any partner user of the partner redeems (the points are the partner's, like its MDF);
managers may redeem for a partner too. Managers approve or refuse, but never a redemption they
requested themselves (four eyes), then record the fulfilment. A partner user may cancel its
partner's redemption while it waits for a decision; a manager until it is shipped or booked.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prm.audit.events import audit_record
from prm.webhooks.events import emit

from ..audit_actions import CatalogueAudit
from ..choices import CANCELLABLE, FULFILMENT, RedemptionStatus
from ..ledger import lock_partner, refuse_overdraft, write
from ..models import Redemption, RewardItem
from ..payloads import redemption_payload
from ..selectors import refusal_for
from .mail import tell_partner
from .restock import waiting_prizes_serve

MAX_QUANTITY = 20


def _step(redemption: Redemption, status: str, actor, note: str = "") -> None:
    redemption.history = [
        *(redemption.history or []),
        {
            "status": str(status),
            "at": timezone.now().isoformat(),
            "by": actor.get_username() if actor is not None else "",
            "note": note,
        },
    ]


def _in_tenant_language(tenant, text_of):
    with translation.override(tenant.default_language):
        return text_of()


@transaction.atomic
def redemption_request(
    *, tenant, partner, item: RewardItem, actor, quantity: int = 1, note: str = ""
) -> Redemption:
    """Spend the partner's points on ``quantity`` of ``item``: refused when the item is not offered to
    the partner now, when too few are in stock, or when the partner holds too few points; otherwise
    the price is reserved at once (a ledger row) and the request waits for a manager."""
    if not 1 <= int(quantity) <= MAX_QUANTITY:
        raise ValidationError({"quantity": [_("From 1 to %(n)d.") % {"n": MAX_QUANTITY}]})
    partner = lock_partner(partner)
    item = RewardItem.objects.for_tenant(tenant).select_for_update().get(pk=item.pk)
    refusal = refusal_for(item, partner)
    if refusal:
        raise ValidationError({"item": [refusal]})
    if item.stock is not None and item.stock < quantity:
        raise ValidationError(
            {"quantity": [_("Only %(n)d left of %(item)s.") % {"n": item.stock, "item": item.name}]}
        )
    price = item.points * quantity
    refuse_overdraft(partner, price)
    if item.stock is not None:
        item.stock -= quantity
        item.save(update_fields=["stock"])
    redemption = Redemption.objects.for_tenant(tenant).create(
        tenant=tenant,
        partner=partner,
        item=item,
        item_name=item.name,
        points=price,
        quantity=quantity,
        note=(note or "").strip(),
        requested_by=actor,
    )
    redemption.reserve_entry = write(
        partner,
        -price,
        _in_tenant_language(
            tenant,
            lambda: _("Reserved for redemption #%(id)d: %(item)s") % {"id": redemption.pk, "item": item.name},
        ),
    )
    _step(redemption, RedemptionStatus.REQUESTED, actor, redemption.note)
    redemption.save(update_fields=["reserve_entry", "history"])
    audit_record(
        tenant=tenant,
        actor=actor,
        action=CatalogueAudit.REDEMPTION_REQUESTED,
        target=redemption,
        changes={"points": [None, -price], "status": [None, RedemptionStatus.REQUESTED]},
    )
    emit(tenant=tenant, name="redemption.requested", data=lambda: redemption_payload(redemption))
    return redemption


def _locked(redemption: Redemption) -> tuple[Redemption, RewardItem]:
    """Lock the partner, the item, then the redemption (the fixed order); the fresh redemption."""
    lock_partner(redemption.partner)
    item = RewardItem.objects.for_tenant(redemption.tenant_id).select_for_update().get(pk=redemption.item_id)
    fresh = Redemption.objects.for_tenant(redemption.tenant_id).select_for_update().get(pk=redemption.pk)
    return fresh, item


def _give_back(redemption: Redemption, item: RewardItem, status: str, reason: str, actor) -> None:
    """Points and stock back: the return row (+price; none for a prize, which cost nothing) and the
    item's stock (none for a prize that waited for stock: none was taken), which first serves the
    prizes waiting for it."""
    if redemption.points:
        redemption.return_entry = write(redemption.partner, redemption.points, reason)
    if item.stock is not None and not redemption.waits_for_stock:
        item.stock += redemption.quantity
        item.save(update_fields=["stock"])
        waiting_prizes_serve(item, actor=actor)
    redemption.status = status


@transaction.atomic
def redemption_decide(*, redemption: Redemption, actor, approve: bool, note: str = "") -> Redemption:
    """Approve (the reserved points stay debited; fulfilment starts) or refuse (points and stock
    back; say why) a requested redemption. Nobody decides a redemption they requested."""
    redemption, item = _locked(redemption)
    tenant = redemption.tenant
    if redemption.status != RedemptionStatus.REQUESTED:
        raise ValidationError({"status": [_("Only a requested redemption can be approved or refused.")]})
    if actor is not None and redemption.requested_by_id == actor.pk:
        raise ValidationError({"detail": [_("You requested this redemption; someone else must decide it.")]})
    note = (note or "").strip()
    if approve:
        redemption.status = RedemptionStatus.APPROVED
    else:
        if not note:
            raise ValidationError({"note": [_("Say why the redemption is refused.")]})
        _give_back(
            redemption,
            item,
            RedemptionStatus.REFUSED,
            _in_tenant_language(
                tenant,
                lambda: _("Returned: redemption #%(id)d refused") % {"id": redemption.pk},
            ),
            actor,
        )
    redemption.decided_by, redemption.decided_at, redemption.status_note = actor, timezone.now(), note
    _step(redemption, redemption.status, actor, note)
    redemption.save()
    audit_record(
        tenant=tenant,
        actor=actor,
        action=CatalogueAudit.REDEMPTION_DECIDED,
        target=redemption,
        changes={"status": [RedemptionStatus.REQUESTED, redemption.status]},
        reason=note,
    )
    name = "redemption.approved" if approve else "redemption.refused"
    emit(tenant=tenant, name=name, data=lambda: redemption_payload(redemption))
    tell_partner(redemption)
    return redemption


@transaction.atomic
def redemption_fulfil(*, redemption: Redemption, actor, status: str, note: str = "") -> Redemption:
    """Record the next fulfilment step: ordered, then shipped (or booked), then delivered, each
    with an optional note (the supplier's order, the tracking number, the booking reference)."""
    redemption, _item = _locked(redemption)
    before = redemption.status
    if status not in FULFILMENT:
        raise ValidationError({"status": [_("Choose ordered, shipped or delivered.")]})
    if FULFILMENT[status] != before:
        raise ValidationError(
            {
                "status": [
                    _("A redemption that is %(now)s cannot be marked %(next)s.")
                    % {
                        "now": RedemptionStatus(before).label,
                        "next": RedemptionStatus(status).label,
                    }
                ]
            }
        )
    redemption.status, redemption.status_note = status, (note or "").strip()
    _step(redemption, status, actor, redemption.status_note)
    redemption.save(update_fields=["status", "status_note", "history", "updated_at"])
    audit_record(
        tenant=redemption.tenant,
        actor=actor,
        action=CatalogueAudit.REDEMPTION_FULFILLED,
        target=redemption,
        changes={"status": [before, status]},
        reason=redemption.status_note,
    )
    emit(tenant=redemption.tenant, name="redemption.fulfilled", data=lambda: redemption_payload(redemption))
    return redemption


@transaction.atomic
def redemption_cancel(*, redemption: Redemption, actor, by_partner: bool, note: str = "") -> Redemption:
    """Cancel: points and stock back. A partner user only while it waits for a decision; a manager
    until it is shipped or booked."""
    redemption, item = _locked(redemption)
    before = redemption.status
    allowed = (RedemptionStatus.REQUESTED,) if by_partner else CANCELLABLE
    if before not in allowed:
        raise ValidationError(
            {
                "status": [
                    _("A redemption that is %(now)s can no longer be cancelled.")
                    % {"now": redemption.get_status_display()}
                ]
            }
        )
    _give_back(
        redemption,
        item,
        RedemptionStatus.CANCELLED,
        _in_tenant_language(
            redemption.tenant, lambda: _("Returned: redemption #%(id)d cancelled") % {"id": redemption.pk}
        ),
        actor,
    )
    redemption.status_note = (note or "").strip()
    _step(redemption, RedemptionStatus.CANCELLED, actor, redemption.status_note)
    redemption.save()
    audit_record(
        tenant=redemption.tenant,
        actor=actor,
        action=CatalogueAudit.REDEMPTION_CANCELLED,
        target=redemption,
        changes={"status": [before, RedemptionStatus.CANCELLED]},
        reason=redemption.status_note,
    )
    emit(tenant=redemption.tenant, name="redemption.cancelled", data=lambda: redemption_payload(redemption))
    return redemption

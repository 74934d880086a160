"""Stock arriving for prizes that wait for it.

A prize granted while its item was out of stock (``grants.redemption_grant``) is approved and
marked ``waits_for_stock``. When stock is added to the item (a manager edits it on its page or
through the API, or a refused or cancelled redemption gives some back), the waiting prizes take it
at once, the oldest first, one row each: the stock goes down by the prize's quantity and the prize
no longer waits, so it is ordered and delivered like any redemption. Each is served once (a served
prize no longer waits) and audited.

Called with the item's row locked (every caller locks it first), it then locks the waiting
redemptions: the same order as every other move (partner, item, redemption), so it waits for them
instead of deadlocking. Only approved prizes are served: one the manager ordered already was
procured some other way.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prm.audit.events import audit_record

from ..audit_actions import CatalogueAudit
from ..choices import RedemptionStatus
from ..models import Redemption, RewardItem


def waiting_prizes(item: RewardItem):
    """The item's prizes that wait for stock, the oldest first."""
    return (
        Redemption.objects.for_tenant(item.tenant_id)
        .filter(item_id=item.pk, prize=True, waits_for_stock=True, status=RedemptionStatus.APPROVED)
        .order_by("created_at", "pk")
    )


def waiting_prizes_serve(item: RewardItem, *, actor) -> list[Redemption]:
    """Give the stock ``item`` holds now to its waiting prizes, oldest first, while it lasts; call
    with the item's row locked. Returns the prizes served (each audited)."""
    served = []
    if item.stock is not None and item.stock < 1:
        return served
    person = actor if getattr(actor, "is_authenticated", False) else None
    for redemption in waiting_prizes(item).select_for_update():
        if item.stock is not None:
            if item.stock < redemption.quantity:
                break
            item.stock -= redemption.quantity
        with translation.override(item.tenant.default_language):
            note = _("Stock arrived: ready to order.")
        redemption.waits_for_stock = False
        redemption.status_note = note
        redemption.history = [
            *(redemption.history or []),
            {
                "status": str(redemption.status),
                "at": timezone.now().isoformat(),
                "by": person.get_username() if person is not None else "",
                "note": note,
            },
        ]
        redemption.save(update_fields=["waits_for_stock", "status_note", "history", "updated_at"])
        audit_record(
            tenant=item.tenant,
            actor=actor,
            action=CatalogueAudit.PRIZE_STOCKED,
            target=redemption,
            changes={
                "waits_for_stock": [True, False],
                "stock": [item.stock + redemption.quantity, item.stock],
            }
            if item.stock is not None
            else {"waits_for_stock": [True, False]},
        )
        served.append(redemption)
    if served and item.stock is not None:
        item.save(update_fields=["stock"])
    return served

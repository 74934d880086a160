"""A catalogue item given as a prize (a contest's): a redemption that costs no points and needs no
approval, then fulfilled like any other (ordered → shipped or booked → delivered).

``redemption_grant`` takes the partner's row, then the item's (the order every redemption locks
in, see ``redemptions``), and under that lock takes one from the stock. When the item is out of
stock the prize is still granted: the redemption is approved, marked ``waits_for_stock``, and no
stock is taken (stock never goes below zero, and a cancelled waiting prize gives none back); the
managers see it in the fulfilment queue and the CSV and procure one before ordering it. An item
made inactive since the prize was set is granted all the same: the prize was promised.

No ledger rows: the redemption's ``points`` is 0, so its rows add up to 0 = −points whatever its
state, as for every redemption.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prm.audit.events import audit_record
from prm.webhooks.events import emit

from ..audit_actions import CatalogueAudit
from ..choices import RedemptionStatus
from ..ledger import lock_partner
from ..models import Redemption, RewardItem
from ..payloads import redemption_payload
from .mail import tell_partner


@transaction.atomic
def redemption_grant(partner, item: RewardItem, reason: str, *, actor) -> Redemption:
    """Give ``partner`` one ``item`` for ``reason`` (e.g. the contest and prize, in the tenant's
    language): an approved prize redemption, audited, announced (webhook ``redemption.granted``)
    and e-mailed to the partner's users."""
    tenant = partner.tenant
    partner = lock_partner(partner)
    item = RewardItem.objects.for_tenant(tenant).select_for_update().get(pk=item.pk)
    waits = item.stock is not None and item.stock < 1
    if item.stock is not None and not waits:
        item.stock -= 1
        item.save(update_fields=["stock"])
    person = actor if getattr(actor, "is_authenticated", False) else None
    reason = (reason or "").strip()
    redemption = Redemption.objects.for_tenant(tenant).create(
        tenant=tenant,
        partner=partner,
        item=item,
        item_name=item.name,
        points=0,
        quantity=1,
        prize=True,
        waits_for_stock=waits,
        status=RedemptionStatus.APPROVED,
        note=reason,
        status_note=_("Waiting for stock.") if waits else "",
        decided_by=person,
        decided_at=timezone.now(),
        history=[
            {
                "status": str(RedemptionStatus.APPROVED),
                "at": timezone.now().isoformat(),
                "by": person.get_username() if person is not None else "",
                "note": reason,
            }
        ],
    )
    audit_record(
        tenant=tenant,
        actor=actor,
        action=CatalogueAudit.REDEMPTION_GRANTED,
        target=redemption,
        changes={"status": [None, RedemptionStatus.APPROVED], "waits_for_stock": [None, waits]},
        reason=reason,
    )
    emit(tenant=tenant, name="redemption.granted", data=lambda: redemption_payload(redemption))
    tell_partner(redemption)
    return redemption

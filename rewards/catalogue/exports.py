"""The fulfilment export: one CSV row per redemption to fulfil (approved, ordered or shipped), the
oldest first, with what to send where (a contest's prize marked ``prize``, one granted out of stock
``waits_for_stock``). Machine formats: ISO 8601 dates, plain integers."""

from __future__ import annotations

from django.utils import timezone

from prm.portal.responses import CSV, attachment, csv_text

from .choices import RedemptionStatus
from .selectors import redemption_list

COLUMNS = [
    "redemption_id",
    "requested_at",
    "partner_id",
    "partner",
    "item_id",
    "item",
    "kind",
    "quantity",
    "points",
    "status",
    "delivery_details",
    "note",
    "requested_by",
    "decided_at",
    "prize",
    "waits_for_stock",
]
TO_FULFIL = (RedemptionStatus.APPROVED, RedemptionStatus.ORDERED, RedemptionStatus.SHIPPED)


def fulfilment_rows(tenant):
    yield COLUMNS
    rows = redemption_list(tenant=tenant).filter(status__in=TO_FULFIL).order_by("created_at", "pk")
    for r in rows:
        yield [
            r.pk,
            timezone.localtime(r.created_at).isoformat(timespec="seconds"),
            r.partner_id,
            r.partner.name,
            r.item_id,
            r.item_name,
            r.item.kind,
            r.quantity,
            r.points,
            r.status,
            r.note,
            r.status_note,
            r.requested_by.get_username() if r.requested_by else "",
            timezone.localtime(r.decided_at).isoformat(timespec="seconds") if r.decided_at else "",
            int(r.prize),
            int(r.waits_for_stock),
        ]


def fulfilment_csv(tenant):
    """The CSV download of what waits to be fulfilled."""
    stamp = timezone.localdate().isoformat()
    return attachment(csv_text(fulfilment_rows(tenant)), CSV, f"rewards-fulfilment-{tenant.slug}-{stamp}.csv")

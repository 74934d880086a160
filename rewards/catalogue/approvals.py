"""The catalogue's queue of the approval queue (``partners.approvals``): redemptions waiting for a
manager's decision, the oldest first."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.approvals import ApprovalQueue, Waiting
from prm.tenancy.capabilities import Capability

from .selectors import redemption_queue


def redemptions_waiting(tenant, limit: int) -> tuple[int, list[Waiting]]:
    """Requested redemptions, the longest waiting first."""
    queue = redemption_queue(tenant=tenant)
    page = list(queue[:limit])
    url = reverse("catalogue:redemptions", kwargs={"tenant": tenant.slug})
    items = [
        Waiting(
            partner_id=r.partner_id,
            partner=r.partner.name,
            what=_("Redemption of %(points)d points: %(item)s") % {"points": r.points, "item": r.item_name},
            since=r.created_at,
            asked_by=r.requested_by.get_username() if r.requested_by else "",
            note=r.note,
            url=url,
        )
        for r in page
    ]
    return (len(page) if len(page) < limit else queue.count()), items


REDEMPTIONS = ApprovalQueue(
    "redemptions",
    gettext_lazy("Redemptions of points to decide"),
    Capability.DECIDE_REDEMPTION,
    redemptions_waiting,
    "catalogue:redemptions",
    order=50,
)

"""The channel's dashboard card and its approval queue (declared in ``plugs.py``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.approvals import Waiting

from .models import PartnerRequest
from .selectors import counts, queue


def requests_card(request) -> dict:
    """Counts of the requests the member sees: a partner user its partner's, staff every one."""
    rows = PartnerRequest.objects.for_tenant(request.tenant)
    access = request.tenant_access
    if access.is_partner:
        rows = rows.filter(partner_id=access.partner_id)
    return {"counts": counts(rows), "is_partner": access.is_partner}


def overdue_requests(tenant, limit: int) -> tuple[int, list[Waiting]]:
    """Requests waiting for the vendor past their deadline, the longest overdue first."""
    now = timezone.now()
    rows = queue(tenant, overdue=True, now=now)
    count = rows.count()
    items = [
        Waiting(
            partner_id=r.partner_id,
            partner=r.partner.name,
            what=_("%(category)s: %(subject)s")
            % {"category": r.get_category_display(), "subject": r.subject},
            since=r.due_at,
            asked_by=(r.raised_by.get_full_name() or r.raised_by.username) if r.raised_by else "",
            url=reverse("conversations:detail", kwargs={"tenant": tenant.slug, "pk": r.pk}),
        )
        for r in rows[:limit]
    ]
    return count, items

"""The scorecard KPI source the channel adds: partner requests the vendor answered in time (%), a
vendor-side activation input (declared in ``plugs.kpi_sources``)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from prm.ranges import within

from .models import PartnerRequest


def requests_answered_in_time(tenant, period, kpi=None, partners=None, now=None) -> dict[int, Decimal]:
    """% of each partner's requests raised in the period whose first answer came by its deadline,
    in one aggregate query. A request still unanswered past its deadline counts as not answered in
    time; one still within it is left out (the vendor has time yet)."""
    now = now or timezone.now()
    rows = (
        within(PartnerRequest.objects.for_tenant(tenant), partners)
        .filter(raised_at__date__gte=period.start, raised_at__date__lte=period.end)
        .filter(Q(first_answered_at__isnull=False) | Q(first_due_at__lt=now))
        .values("partner_id")
        .annotate(
            n=Count("id"),
            in_time=Count(
                "id", filter=Q(first_answered_at__isnull=False, first_answered_at__lte=F("first_due_at"))
            ),
        )
    )
    return {r["partner_id"]: Decimal(100) * r["in_time"] / r["n"] for r in rows if r["n"]}

"""The scorecard KPI source incentives/ adds: MDF the vendor approved for the partner (its side of
activation). Registered in ``IncentivesConfig.ready()``."""

from decimal import Decimal

from django.db.models import Q, Sum

from prm.ranges import within

from .choices import MdfStatus
from .models import MdfRequest


def mdf_approved(tenant, period, kpi=None, partners=None) -> dict[int, Decimal]:
    """Approved MDF per partner for the period (a quarter counts the requests of its months too), one query."""
    codes = {period.code}
    if "Q" in period.code:
        year, quarter = period.code.split("-Q")
        first = (int(quarter) - 1) * 3 + 1
        codes |= {f"{year}-{month:02}" for month in range(first, first + 3)}
    rows = (
        within(MdfRequest.objects.for_tenant(tenant), partners)
        .filter(Q(period__in=codes), status=MdfStatus.APPROVED)
        .values("partner_id")
        .annotate(v=Sum("amount"))
    )
    return {r["partner_id"]: r["v"] or Decimal(0) for r in rows}

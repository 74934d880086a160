"""What-if: a changed or new rule against a past period, without saving anything."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from partners.models import Partner

from ..models import IncentiveRule, PayoutLine, PayoutRun
from .rules import _clean
from .runs import payout_run_compute


def what_if(*, tenant, period: str, rule_fields: dict, compare_with: IncentiveRule | None = None) -> dict:
    """Cost per partner and in total of ``rule_fields`` in ``period``, beside what ``compare_with``
    actually paid in that period's run (any version of it)."""
    fields = _clean({"active": True, "tiers": [], "stages": [], "regions": [], "products": [], **rule_fields})
    rule = IncentiveRule(tenant=tenant, pk=None, version=0, **fields)
    lines = payout_run_compute(tenant=tenant, period=period, rules=[rule], save=False)
    proposed = defaultdict(Decimal)
    names = {}
    for line in lines:
        proposed[line.partner_id] += line.amount
    paid = defaultdict(Decimal)
    run = PayoutRun.objects.for_tenant(tenant).filter(period=period.upper()).first()
    if compare_with is not None and run is not None:
        rows = (
            PayoutLine.objects.for_tenant(tenant)
            .filter(run=run, rule__key=compare_with.key)
            .values("partner_id")
            .annotate(v=Sum("amount"))
        )
        for row in rows:
            paid[row["partner_id"]] = row["v"]

    for partner_id, name in (
        Partner.objects.for_tenant(tenant).filter(pk__in=set(proposed) | set(paid)).values_list("id", "name")
    ):
        names[partner_id] = name
    partners = [
        {
            "partner": pid,
            "name": names[pid],
            "proposed": f"{proposed[pid]:.2f}",
            "paid": f"{paid[pid]:.2f}",
            "difference": f"{proposed[pid] - paid[pid]:.2f}",
        }
        for pid in sorted(names, key=lambda p: names[p])
    ]
    total_proposed, total_paid = sum(proposed.values(), Decimal(0)), sum(paid.values(), Decimal(0))
    return {
        "period": period.upper(),
        "run_status": run.status if run else None,
        "partners": partners,
        "total_proposed": f"{total_proposed:.2f}",
        "total_paid": f"{total_paid:.2f}",
        "difference": f"{total_proposed - total_paid:.2f}",
        "currency": tenant.currency,
        "explanations": {names[line.partner_id]: line.explanation for line in lines},
    }

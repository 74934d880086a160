"""The bench's ``live`` section: one partner's live refresh (``partners.live.refresh``: its tier inputs
and its card of the quarter, then the quarter's cards ranked again), for the partner with the most
sales, a median one and one without sales, against the core floor of the same partner: the bare
aggregate of its sales in the tier window (one ``SUM`` over its rows of the ``(tenant, partner,
date)`` index). Target (#36): under 50 ms at 10,000,000 sales.

The refresh is timed as the task runs it, with the clock inside the bench's quarter so that the
quarter has cards (computed once first, untimed, when the computations section did not)."""

from __future__ import annotations

from datetime import datetime
from datetime import time as clock
from unittest import mock

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from .computations import Measure


def section(tenant, repeat: int) -> list[dict]:
    from partners import live
    from partners.models import Partner, Sale
    from partners.programme.settings import programme_for
    from prm.periods import parse_period
    from prm.tenancy.context import tenant_context
    from scorecards.models import Scorecard
    from scorecards.services.compute import scorecards_compute, scored_partners

    from .generate import QUARTER

    period = parse_period(QUARTER)
    now = timezone.make_aware(datetime.combine(period.end, clock(12)))
    since = now.date().toordinal() - programme_for(tenant).tier_window_days
    rows = []
    with tenant_context(tenant):
        if not Scorecard.objects.for_tenant(tenant).filter(period=QUARTER).exists():
            scorecards_compute(tenant=tenant, period=QUARTER)
        scored = scored_partners(tenant).values_list("pk", flat=True)
        counts = list(
            Sale.objects.for_tenant(tenant)
            .filter(partner_id__in=scored)
            .values("partner_id")
            .annotate(n=Count("id"))
            .order_by("-n", "partner_id")
            .values_list("partner_id", "n")
        )
        quiet = Partner.objects.for_tenant(tenant).filter(pk__in=scored).exclude(sales__isnull=False).first()
        samples = [("most sales", *counts[0]), ("median", *counts[len(counts) // 2])]
        if quiet:
            samples.append(("no sales", quiet.pk, 0))
        measure = Measure(repeat, memory=False)
        for what, partner_id, sales in samples:
            with mock.patch("partners.live.timezone.now", return_value=now):
                product = measure(lambda pk=partner_id: live.refresh(tenant, pk))
            floor = measure(lambda pk=partner_id: _floor(tenant.pk, pk, since))
            rows.append(
                {
                    "what": f"refresh: {what} ({sales} sales)",
                    "product_ms": round(product["seconds"] * 1000, 1),
                    "queries": product["queries"],
                    "floor_ms": round(floor["seconds"] * 1000, 1),
                }
            )
    return rows


def _floor(tenant_id: int, partner_id: int, since: int):
    """The core floor: the partner's sales in the window, summed (one statement)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(amount) FROM partners_sale WHERE tenant_id = %s AND partner_id = %s AND date >= %s",
            [tenant_id, partner_id, datetime.fromordinal(since).date()],
        )
        return cursor.fetchone()


def table(rows: list[dict]) -> list[str]:
    if not rows:
        return []
    lines = [f"{'live figures (one partner)':34} {'product':>9} {'floor':>8} {'queries':>8}"]
    lines += [
        f"{'  ' + r['what']:34} {r['product_ms']:>7}ms {r['floor_ms']:>6}ms {r['queries']:>8}" for r in rows
    ]
    return lines

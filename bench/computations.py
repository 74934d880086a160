"""The bench's ``computations`` section: tier recompute, scorecard compute and payout run against
their raw SQL floors (``bench/floors``): the faithful floor (the same work in SQL) and the core floor
(one GROUP BY over the raw sales and the write of the same rows), alternated and repeated."""

from __future__ import annotations

import statistics
import time
import tracemalloc


class Measure:
    """Median seconds and queries of a callable, repeated; peak Python memory from one more, traced, call.

    (Tracing allocations slows Python down several times, so timed calls are not traced.)
    """

    def __init__(self, repeat: int, memory: bool = True):
        self.repeat, self.memory = repeat, memory

    def __call__(self, fn) -> dict:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        times, queries, result = [], 0, None
        for _ in range(self.repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                result = fn()
                times.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
        peak = 0
        if self.memory:
            tracemalloc.start()
            fn()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return {
            "seconds": round(statistics.median(times), 4),
            "queries": queries,
            "peak_mb": round(peak / 2**20, 1),
            "result": result,
        }


def computations(tenant, measure) -> list[dict]:
    from incentives.models import IncentiveRule, PayoutLine, PayoutRun
    from incentives.services.runs import payout_run_compute
    from partners.tiering.recompute import tiers_recompute
    from prm.tenancy.context import tenant_context
    from scorecards.services.compute import scorecards_compute

    from . import floors
    from .generate import QUARTER
    from .shared import resident_peak

    rows = []
    with tenant_context(tenant):
        rules = IncentiveRule.objects.filter(is_current=True).count()
        cases = [
            (
                "tier recompute",
                lambda: tiers_recompute(tenant=tenant)["partners"],
                lambda: floors.tiers_floor(tenant),
                lambda: floors.tiers_core_floor(tenant),
            ),
            (
                "scorecard compute (one quarter)",
                lambda: scorecards_compute(tenant=tenant, period=QUARTER)["scorecards"],
                lambda: floors.scorecards_floor(tenant),
                lambda: floors.scorecards_core_floor(tenant),
            ),
            (
                "payout run (one quarter)",
                lambda: PayoutLine.objects.filter(
                    run=payout_run_compute(tenant=tenant, period=QUARTER)
                ).count(),
                lambda: floors.payouts_floor(tenant, PayoutRun.objects.get(period=QUARTER).pk, rules),
                lambda: floors.payouts_core_floor(tenant, PayoutRun.objects.get(period=QUARTER).pk),
            ),
        ]
        for name, product, floor, core in cases:
            product_runs, floor_runs, core_runs, resident = [], [], [], []
            for _ in range(measure.repeat):  # alternate, so none gets a warmer cache
                with resident_peak() as memory:
                    product_runs.append(Measure(1, memory=False)(product))
                resident.append(memory["peak_mb"] or 0)
                floor_runs.append(Measure(1, memory=False)(_atomic(floor)))
                core_runs.append(Measure(1, memory=False)(core))  # (rolls its writes back itself)
            p, f, c = _median(product_runs), _median(floor_runs), _median(core_runs)
            p["peak_mb"] = Measure(1)(product)["peak_mb"]
            rows.append(
                {
                    "what": name,
                    "product_s": p["seconds"],
                    "floor_s": f["seconds"],
                    "ratio": round(p["seconds"] / f["seconds"], 2) if f["seconds"] else None,
                    "core_s": c["seconds"],
                    "core_ratio": round(p["seconds"] / c["seconds"], 2) if c["seconds"] else None,
                    "queries": p["queries"],
                    "peak_mb": p["peak_mb"],
                    "rss_peak_mb": max(resident),
                    "rows": p["result"],
                    "floor_rows": f["result"],
                    "core_rows": c["result"],
                }
            )
    return rows


def _atomic(fn):
    from django.db import transaction

    def run():
        with transaction.atomic():
            return fn()

    return run


def _median(runs: list[dict]) -> dict:
    middle = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return dict(middle)

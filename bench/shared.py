"""The bench's ``shared`` section: the payout run over customers shared across partners and rules
that overlap (``generate.generate_shared``), the shape that makes a run warn the most.

Measures the run computed in this process range by range (``payout_run_compute``) and as workers
compute it (each range staged, then the join), against the SQL floor: seconds, the peak of Python's
allocations (``tracemalloc``, one more call) and the peak resident memory of the process during the
call (``VmHWM``, reset before it); then what its warnings cost to read: the run page, a page of the
warnings API, the last page of one kind, and every warning as CSV (streamed). Then the tier recompute
and the quarter's scorecard compute of the same tenant, each in one process and in ranges joined,
against its floor, measured alike: a computation over the whole channel is held to the same
resident peak as the payout run.
"""

from __future__ import annotations

import re
import statistics
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

PROC = Path("/proc/self")


def _status_kib(field: str) -> int | None:
    try:
        found = re.search(rf"^{field}:\s+(\d+) kB", (PROC / "status").read_text(), re.MULTILINE)
    except OSError:
        return None
    return int(found.group(1)) if found else None


@contextmanager
def resident_peak():
    """``{"base_mb", "peak_mb"}`` of the process around the block: its resident memory before, and the
    most it held during the block (Linux: the high-water mark is reset on the way in). Both None
    where the kernel does not tell."""
    box = {"base_mb": None, "peak_mb": None}
    try:
        (PROC / "clear_refs").write_text("5")
        reset = True
    except OSError:
        reset = False
    base = _status_kib("VmRSS")
    try:
        yield box
    finally:
        peak = _status_kib("VmHWM") if reset else None
        box.update(base_mb=_mb(base), peak_mb=_mb(peak))


def _mb(kib: int | None) -> float | None:
    return round(kib / 1024, 1) if kib is not None else None


def _measured(fn, repeat: int) -> dict:
    """Median seconds and the highest resident peak of ``repeat`` untraced calls, then the peak of
    Python's allocations in one traced call."""
    times, peaks, bases, result = [], [], [], None
    for _ in range(repeat):
        with resident_peak() as memory:
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
        peaks.append(memory["peak_mb"] or 0)
        bases.append(memory["base_mb"] or 0)
    tracemalloc.start()
    fn()
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "seconds": round(statistics.median(times), 3),
        "peak_mb": round(traced / 2**20, 1),
        "rss_peak_mb": max(peaks),
        "rss_base_mb": min(bases),
        "result": result,
    }


def payout_runs(tenant, repeat: int) -> dict:
    """The shared-customer tenant's quarter computed in place and in ranges joined, with the floor;
    the run's warnings by kind; and reading them."""
    from django.db import transaction

    from incentives.models import IncentiveRule, PayoutLine, PayoutRun
    from incentives.services.run_compute import PAYOUTS, payout_run_compute
    from prm.jobs.computations import in_ranges
    from prm.tenancy.context import tenant_context

    from . import floors
    from .generate import QUARTER

    def in_place():
        run = payout_run_compute(tenant=tenant, period=QUARTER)
        return PayoutLine.objects.filter(run=run).count()

    def joined():
        run = in_ranges(PAYOUTS, tenant, PAYOUTS.plan(tenant, period=QUARTER))
        return PayoutLine.objects.filter(run=run).count()

    def floor():
        with transaction.atomic():
            return floors.payouts_floor(tenant, PayoutRun.objects.get(period=QUARTER).pk, rules)

    with tenant_context(tenant):
        rules = IncentiveRule.objects.filter(is_current=True).count()
        ranges = len(PAYOUTS.plan(tenant, period=QUARTER).ranges)
        measured = [(f"payout run, in place ({ranges} ranges)", _measured(in_place, repeat))]
        floor_s = _measured(floor, repeat)["seconds"]  # (between the two: the reads see the product's run)
        measured.append((f"payout run, {ranges} ranges joined", _measured(joined, repeat)))
        rows = [
            {
                "what": what,
                "product_s": m["seconds"],
                "floor_s": floor_s,
                "ratio": round(m["seconds"] / floor_s, 2) if floor_s else None,
                "peak_mb": m["peak_mb"],
                "rss_peak_mb": m["rss_peak_mb"],
                "rss_base_mb": m["rss_base_mb"],
                "rows": m["result"],
            }
            for what, m in measured
        ]
        run = PayoutRun.objects.get(period=QUARTER)
        warnings = {group["code"]: group["count"] for group in run.summary["warnings"]}
    return {"rows": rows, "warnings": warnings, "warnings_count": sum(warnings.values()), "run": run.pk}


def tiers_and_scorecards(tenant, repeat: int) -> list[dict]:
    """The tier recompute and the quarter's scorecards of the shared-customer tenant, each in one
    process and in ranges joined (every range measured in this process, then the join, as workers
    do it), against its floor: seconds, Python's peak and the process's resident peak."""
    from django.db import transaction

    from partners.tiering.recompute import TIERS, tiers_recompute
    from prm.jobs.computations import in_ranges
    from prm.tenancy.context import tenant_context
    from scorecards.services.compute import SCORECARDS, scorecards_compute

    from . import floors
    from .generate import QUARTER

    def tiers_in_ranges():
        return in_ranges(TIERS, tenant, TIERS.plan(tenant))["partners"]

    def cards_in_ranges():
        return in_ranges(SCORECARDS, tenant, SCORECARDS.plan(tenant, period=QUARTER))["scorecards"]

    def atomic(fn):
        def run():
            with transaction.atomic():
                return fn(tenant)

        return run

    rows = []
    with tenant_context(tenant):
        tier_ranges = len(TIERS.plan(tenant).ranges)
        card_ranges = len(SCORECARDS.plan(tenant, period=QUARTER).ranges)
        cases = [
            (
                "tier recompute",
                tier_ranges,
                lambda: tiers_recompute(tenant=tenant)["partners"],
                tiers_in_ranges,
                atomic(floors.tiers_floor),
            ),
            (
                "scorecards",
                card_ranges,
                lambda: scorecards_compute(tenant=tenant, period=QUARTER)["scorecards"],
                cards_in_ranges,
                atomic(floors.scorecards_floor),
            ),
        ]
        for name, ranges, in_place, joined, floor in cases:
            measured = [(f"{name}, in place", _measured(in_place, repeat))]
            floor_s = _measured(floor, repeat)["seconds"]
            measured.append(
                (f"{name}, {ranges} range{'s' if ranges != 1 else ''} joined", _measured(joined, repeat))
            )
            rows += [
                {
                    "what": what,
                    "product_s": m["seconds"],
                    "floor_s": floor_s,
                    "ratio": round(m["seconds"] / floor_s, 2) if floor_s else None,
                    "peak_mb": m["peak_mb"],
                    "rss_peak_mb": m["rss_peak_mb"],
                    "rss_base_mb": m["rss_base_mb"],
                    "rows": m["result"],
                }
                for what, m in measured
            ]
            for row in rows[-2:]:  # as soon as known: the rest takes a while at large sizes
                print(
                    f"{row['what']}: product {row['product_s']}s, floor {row['floor_s']}s, {row['ratio']}x, "
                    f"resident peak {row['rss_peak_mb']} MB",
                    flush=True,
                )
    return rows


def reads(tenant, run_id: int) -> list[dict]:
    """The run's page, the first page of its warnings (API), the last page of one kind (overlapping rules),
    and all its warnings as CSV: milliseconds (warm, but for the CSV), size, and the process's
    resident peak."""
    from django.test import Client

    from prm.tenancy.context import tenant_context
    from prm.tenancy.models import Membership

    with tenant_context(tenant):
        user = Membership.objects.for_tenant(tenant).get().user
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    api = f"/api/v1/tenants/{tenant.slug}/payout-runs/{run_id}/warnings/"
    by_kind = client.get(f"{api}?code=overlapping_rules&page_size=200").json()
    last = max(1, -(-by_kind["count"] // 200))
    urls = [
        ("the run's page", f"/t/{tenant.slug}/payouts/{run_id}/"),
        ("warnings API, page 1", api),
        ("warnings API, a kind's last page", f"{api}?code=overlapping_rules&page_size=200&page={last}"),
        ("warnings CSV, all (streamed)", f"{api}?format=csv"),
    ]
    _analyzed("incentives_payoutrunwarning", "incentives_payoutline")  # (as autovacuum leaves them)
    rows = []
    for what, url in urls:
        if "format=csv" not in url:
            client.get(url)  # warm, as the pages section does (the CSV is read once: it is long)
        with resident_peak() as memory:
            started = time.perf_counter()
            response = client.get(url)
            size = (
                sum(len(part) for part in response.streaming_content)
                if response.streaming
                else len(response.content)
            )
            elapsed = time.perf_counter() - started
        rows.append(
            {
                "what": what,
                "status": response.status_code,
                "ms": round(elapsed * 1000),
                "kib": round(size / 1024),
                "rss_peak_mb": memory["peak_mb"],
            }
        )
    return rows


def _analyzed(*tables: str) -> None:
    """Fresh planner statistics for ``tables`` (as their owner, who may)."""
    from django.db import connections

    alias = "owner" if "owner" in connections.settings else "default"
    with connections[alias].cursor() as cursor:
        for table in tables:
            cursor.execute(f'VACUUM ANALYZE "{table}"')


def section(tenant, repeat: int) -> dict:
    """The whole ``shared`` section (see the module)."""
    found = payout_runs(tenant, repeat)
    found["computations"] = tiers_and_scorecards(tenant, repeat)
    found["reads"] = reads(tenant, found.pop("run"))
    return found


def table(shared: dict) -> list[str]:
    """The section's lines in the bench's table."""
    if not shared:
        return []
    lines = [
        "",
        f"{'shared customers, overlapping rules':34} {'product':>9} {'floor':>8} {'ratio':>6} {'peak MB':>8} "
        f"{'RSS MB':>8} {'rows':>9}",
    ]
    for r in shared["rows"]:
        lines.append(
            f"{r['what']:34} {r['product_s']:>8.2f}s {r['floor_s']:>7.2f}s {r['ratio']:>5}× "
            f"{r['peak_mb']:>8} {r['rss_peak_mb']:>8} {r['rows']:>9,}"
        )
    for r in shared.get("computations", []):
        lines.append(
            f"{r['what']:34} {r['product_s']:>8.2f}s {r['floor_s']:>7.2f}s {r['ratio']:>5}× "
            f"{r['peak_mb']:>8} {r['rss_peak_mb']:>8} {r['rows']:>9,}"
        )
    kinds = ", ".join(f"{code} {n:,}" for code, n in shared["warnings"].items())
    lines.append(f"{'  its warnings':34} {shared['warnings_count']:>9,}   ({kinds})")
    lines.append(f"{'  read':34} {'ms':>9} {'KiB':>8} {'':>6} {'':>8} {'RSS MB':>8}")
    for r in shared["reads"]:
        status = r["status"] if r["status"] != 200 else ""
        lines.append(
            f"  {r['what']:32} {r['ms']:>9} {r['kib']:>8} {'':>6} {'':>8} {r['rss_peak_mb']:>8}   {status}"
        )
    return lines

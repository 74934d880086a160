"""``make bench [SIZE=small|large]``: every computation against its raw SQL floor, in one run.

Loads a fresh database ``prm_bench`` (beside the one ``DATABASE_URL`` names,
made by the owner role, migrated, then used as the web role exactly as
production runs), generates the bench tenant (``bench/generate.py``), then
measures, alternating product and floor and repeating:

- tier recompute, scorecard compute and payout run: time, queries, peak
  Python memory, rows written, against ``bench/floors.py``;
- list APIs against a bare JSON view of the same rows (requests per second);
- pages: time and size;
- one scorecard PDF against a minimal WeasyPrint page.

Prints one table and writes ``bench/results.json``. Timings are reported,
never asserted: CI runs ``small`` to prove the bench works.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SIZES = {"small": (1_000, 100_000), "medium": (10_000, 1_000_000), "large": (100_000, 10_000_000)}
RESULTS = Path(__file__).resolve().parent / "results.json"
BENCH_DB = os.environ.get("BENCH_DATABASE_NAME", "prm_bench")


def _point_at_bench_database() -> None:
    """Every configured database URL, on the bench database instead."""
    for variable in ("DATABASE_URL", "DATABASE_OWNER_URL", "DATABASE_OPERATIONS_URL"):
        url = os.environ.get(variable)
        if url:
            parts = urlsplit(url)
            os.environ[variable] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ["ALLOWED_HOSTS"] += ",testserver"
    os.environ.update(SECURE_SSL_REDIRECT="false", DEBUG="false")
    os.environ.pop("REDIS_URL", None)  # tasks run in-process: the bench measures the computations


def _recreate_database() -> None:
    import psycopg2

    url = os.environ.get("DATABASE_OWNER_URL") or os.environ["DATABASE_URL"]
    admin = psycopg2.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    admin.close()


def _analyze() -> None:
    from django.db import connections

    alias = "owner" if "owner" in connections.settings else "default"
    with connections[alias].cursor() as cursor:
        cursor.execute("ANALYZE")


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
    from partners.services.tiers import tiers_recompute
    from prm.tenancy.context import tenant_context
    from scorecards.services.compute import scorecards_compute

    from . import floors
    from .generate import QUARTER

    rows = []
    with tenant_context(tenant):
        rules = IncentiveRule.objects.filter(is_current=True).count()
        cases = [
            ("tier recompute", lambda: tiers_recompute(tenant=tenant)["partners"], lambda: floors.tiers_floor(tenant)),
            ("scorecard compute (one quarter)", lambda: scorecards_compute(tenant=tenant, period=QUARTER)["scorecards"],
             lambda: floors.scorecards_floor(tenant)),
            ("payout run (one quarter)",
             lambda: PayoutLine.objects.filter(run=payout_run_compute(tenant=tenant, period=QUARTER)).count(),
             lambda: floors.payouts_floor(tenant, PayoutRun.objects.get(period=QUARTER).pk, rules)),
        ]  # fmt: skip
        for name, product, floor in cases:
            product_runs, floor_runs = [], []
            for _ in range(measure.repeat):  # alternate, so neither gets a warmer cache
                product_runs.append(Measure(1, memory=False)(product))
                floor_runs.append(Measure(1, memory=False)(_atomic(floor)))
            p, f = _median(product_runs), _median(floor_runs)
            p["peak_mb"] = Measure(1)(product)["peak_mb"]
            rows.append({
                "what": name, "product_s": p["seconds"], "floor_s": f["seconds"],
                "ratio": round(p["seconds"] / f["seconds"], 2) if f["seconds"] else None,
                "queries": p["queries"], "peak_mb": p["peak_mb"], "rows": p["result"], "floor_rows": f["result"],
            })  # fmt: skip
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


def requests_per_second(client, url: str, seconds: float = 3.0) -> tuple[float, int]:
    done, started, size = 0, time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
        done += 1
    return done / (time.perf_counter() - started), size


def lists(tenant, client) -> list[dict]:
    base = f"/api/v1/tenants/{tenant.slug}"
    rows = []
    for name, url, bare in [
        ("GET partners/ (50)", f"{base}/partners/", f"/bench/bare/{tenant.slug}/partners/"),
        ("GET sales/ (50)", f"{base}/sales/", f"/bench/bare/{tenant.slug}/sales/"),
    ]:
        product, _size = requests_per_second(client, url)
        floor, _ = requests_per_second(client, bare)
        rows.append({"what": name, "product_rps": round(product, 1), "bare_rps": round(floor, 1),
                     "share": round(product / floor, 2)})  # fmt: skip
    return rows


def pages(tenant, client) -> list[dict]:
    from incentives.models import PayoutRun
    from partners.models import Partner
    from prm.tenancy.context import tenant_context

    with tenant_context(tenant):
        partner = Partner.objects.filter(stage="signed").order_by("pk").first()
        run = PayoutRun.objects.order_by("pk").first()
    slug = tenant.slug
    urls = [
        ("dashboard", f"/t/{slug}/"),
        ("partners", f"/t/{slug}/partners/"),
        ("pipeline board", f"/t/{slug}/pipeline/"),
        ("partner page", f"/t/{slug}/partners/{partner.pk}/"),
        ("deals", f"/t/{slug}/deals/"),
        ("scorecards", f"/t/{slug}/scorecards/"),
        ("payout run", f"/t/{slug}/payouts/{run.pk}/"),
    ]
    rows = []
    for name, url in urls:
        client.get(url)  # warm
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        rows.append({"what": name, "url": url, "status": response.status_code, "ms": round(elapsed * 1000),
                     "kib": round(len(response.content) / 1024)})  # fmt: skip
    return rows


def pdfs(tenant) -> list[dict]:
    from weasyprint import HTML

    from prm.tenancy.context import tenant_context
    from scorecards.models import Scorecard
    from scorecards.pdf import render_scorecard

    with tenant_context(tenant):
        card = Scorecard.objects.select_related("partner", "tenant").prefetch_related("lines").first()
        render_scorecard(card)  # warm
        product = Measure(5, memory=False)(lambda: len(render_scorecard(card)))
    minimal = Measure(5, memory=False)(lambda: len(HTML(string="<p>Scorecard</p>").write_pdf()))
    return [{"what": "one scorecard PDF (warm)", "product_s": product["seconds"], "floor_s": minimal["seconds"],
             "ratio": round(product["seconds"] / minimal["seconds"], 1)}]  # fmt: skip


def table(results: dict) -> str:
    lines = [f"PRM bench, size {results['size']} ({results['partners']:,} partners, {results['sales']:,} sales), "
             f"{results['machine']}", ""]  # fmt: skip
    lines.append(
        f"{'computation':34} {'product':>9} {'floor':>8} {'ratio':>6} {'queries':>8} {'peak MB':>8} {'rows':>9}"
    )
    for r in results["computations"]:
        lines.append(f"{r['what']:34} {r['product_s']:>8.2f}s {r['floor_s']:>7.2f}s {r['ratio']:>5}× "
                     f"{r['queries']:>8} {r['peak_mb']:>8} {r['rows']:>9,}")  # fmt: skip
    lines += ["", f"{'list API':34} {'req/s':>9} {'bare':>8} {'share':>6}"]
    for r in results["lists"]:
        lines.append(f"{r['what']:34} {r['product_rps']:>9} {r['bare_rps']:>8} {r['share']:>6}")
    lines += ["", f"{'page':34} {'ms':>9} {'KiB':>8}"]
    for r in results["pages"]:
        lines.append(
            f"{r['what']:34} {r['ms']:>9} {r['kib']:>8}   {r['status'] if r['status'] != 200 else ''}"
        )
    lines.append("")
    for r in results["pdf"]:
        lines.append(
            f"{r['what']:34} {r['product_s'] * 1000:>7.0f}ms {r['floor_s'] * 1000:>6.0f}ms {r['ratio']:>5}×"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("make bench needs PostgreSQL: set DATABASE_URL (and DATABASE_OWNER_URL) as for make test.")
        return 2
    _point_at_bench_database()
    _recreate_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prm.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ROOT_URLCONF = "bench.urls"
    # pages render with the plain static storage (no collectstatic manifest needed)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    partners, sales = SIZES[args.size]
    from .generate import generate

    started = time.perf_counter()
    tenant = generate(partners=partners, sales=sales)
    _analyze()
    generated = time.perf_counter() - started

    client = Client()
    from prm.tenancy.models import Membership

    client.force_login(
        Membership.objects.for_tenant(tenant).get().user, backend="django.contrib.auth.backends.ModelBackend"
    )
    measure = Measure(args.repeat)
    results = {
        "size": args.size, "partners": partners, "sales": sales, "generate_s": round(generated, 1),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "computations": computations(tenant, measure),
    }  # fmt: skip
    for row in results["computations"]:  # as soon as known: the rest takes a while at large sizes
        print(
            f"{row['what']}: product {row['product_s']}s, floor {row['floor_s']}s, {row['ratio']}x",
            flush=True,
        )
    results["lists"] = lists(tenant, client)
    results["pages"] = pages(tenant, client)
    results["pdf"] = pdfs(tenant)
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    print(table(results))
    errors = [p for p in results["pages"] if p["status"] != 200]
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""``make bench [SIZE=small|large]``: every computation against its raw SQL floor, in one run.

Loads a fresh database ``prm_bench`` (beside the one ``DATABASE_URL`` names,
made by the owner role, migrated, then used as the web role exactly as
production runs), generates the bench tenant (``bench/generate.py``), then
measures, alternating product and floor and repeating:

- tier recompute, scorecard compute and payout run: time, queries, peak
  Python memory (traced) and peak resident memory, rows written, against ``bench/floors.py``;
- the payout run over customers shared across partners and overlapping rules
  (a tenant of its own, ``generate_shared``), in place and in ranges joined: time
  against its floor, peak Python and resident memory, its warnings and what
  reading them costs; then the tier recompute and the scorecard compute of that
  tenant, in place and in ranges joined, likewise (``bench/shared.py``);
- list APIs, called with a token as clients do, against a bare JSON view of the same rows
  (requests per second, alternated, the best of three each);
- pages: time and size;
- one scorecard PDF against a minimal WeasyPrint page;
- workers: the PDF batch, a payout run, a scorecard compute and a tier recompute started
  through the API as the product starts them, done by a real Celery worker of 1, then 2, prefork
  processes (on a Redis database of the bench's own; skipped without Redis).

Prints one table and writes ``bench/results.json``. Timings are reported,
never asserted: CI runs ``small`` to prove the bench works.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SIZES = {"small": (1_000, 100_000), "medium": (10_000, 1_000_000), "large": (100_000, 10_000_000)}
RESULTS = Path(__file__).resolve().parent / "results.json"
BENCH_DB = os.environ.get("BENCH_DATABASE_NAME", "prm_bench")
BENCH_REDIS = "redis://127.0.0.1:6379/12"
#: Scorecards in the workers' PDF batch at most (past it, copies of the quarter's first ones): small
#: stays within CI's few minutes, larger sizes within a quarter of an hour.
BATCH_CAPS = {"small": 300}
BATCH_CAP = 2_000
SECTIONS = ("computations", "shared", "lists", "pages", "pdf", "workers")


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


def _analyze(vacuum: bool = False) -> None:
    """Fresh planner statistics; with ``vacuum``, dead rows cleared too (what autovacuum does to a
    production database between a nightly recompute and the next morning's pages)."""
    from django.db import connections

    alias = "owner" if "owner" in connections.settings else "default"
    with connections[alias].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


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
            ),
            (
                "scorecard compute (one quarter)",
                lambda: scorecards_compute(tenant=tenant, period=QUARTER)["scorecards"],
                lambda: floors.scorecards_floor(tenant),
            ),
            (
                "payout run (one quarter)",
                lambda: PayoutLine.objects.filter(
                    run=payout_run_compute(tenant=tenant, period=QUARTER)
                ).count(),
                lambda: floors.payouts_floor(tenant, PayoutRun.objects.get(period=QUARTER).pk, rules),
            ),
        ]
        for name, product, floor in cases:
            product_runs, floor_runs, resident = [], [], []
            for _ in range(measure.repeat):  # alternate, so neither gets a warmer cache
                with resident_peak() as memory:
                    product_runs.append(Measure(1, memory=False)(product))
                resident.append(memory["peak_mb"] or 0)
                floor_runs.append(Measure(1, memory=False)(_atomic(floor)))
            p, f = _median(product_runs), _median(floor_runs)
            p["peak_mb"] = Measure(1)(product)["peak_mb"]
            rows.append(
                {
                    "what": name,
                    "product_s": p["seconds"],
                    "floor_s": f["seconds"],
                    "ratio": round(p["seconds"] / f["seconds"], 2) if f["seconds"] else None,
                    "queries": p["queries"],
                    "peak_mb": p["peak_mb"],
                    "rss_peak_mb": max(resident),
                    "rows": p["result"],
                    "floor_rows": f["result"],
                }
            )
    return rows


def _earlier(slug: str):
    """The tenant ``slug`` an earlier run generated, or None (its section is then left out)."""
    from prm.tenancy.models import Tenant

    found = Tenant.objects.filter(slug=slug).first()
    if found is None:
        print(f"no tenant {slug} in the bench database: its section is left out", flush=True)
    return found


def _atomic(fn):
    from django.db import transaction

    def run():
        with transaction.atomic():
            return fn()

    return run


def _median(runs: list[dict]) -> dict:
    middle = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return dict(middle)


#: A list API and its bare view are each timed this many times, alternately, for this many seconds.
LIST_ROUNDS, LIST_SECONDS = 3, 1.5


def requests_per_second(client, url: str, seconds: float = 3.0) -> tuple[float, int]:
    done, started, size = 0, time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
        done += 1
    return done / (time.perf_counter() - started), size


def lists(tenant, client) -> list[dict]:
    """Each list API as a client calls it (``Authorization: Token``, as ``API.md`` says) against the
    bare view of the same rows (behind the portal's session and tenant check)."""
    from django.test import Client

    from prm.apitokens import services as api_tokens

    _token, secret = api_tokens.issue(user=client.session_user, name="bench", scope="read")
    api = Client(HTTP_AUTHORIZATION=f"Token {secret}")
    base = f"/api/v1/tenants/{tenant.slug}"
    rows = []
    for name, url, bare in [
        ("GET partners/ (50)", f"{base}/partners/", f"/bench/bare/{tenant.slug}/partners/"),
        ("GET sales/ (50)", f"{base}/sales/", f"/bench/bare/{tenant.slug}/sales/"),
    ]:
        product = floor = 0.0
        for _round in range(LIST_ROUNDS):  # alternated; the best of each (the least disturbed)
            product = max(product, requests_per_second(api, url, LIST_SECONDS)[0])
            floor = max(floor, requests_per_second(client, bare, LIST_SECONDS)[0])
        rows.append(
            {
                "what": name,
                "product_rps": round(product, 1),
                "bare_rps": round(floor, 1),
                "share": round(product / floor, 2),
            }
        )
    return rows


def pages(tenant, client) -> list[dict]:
    from incentives.models import PayoutRun
    from partners.models import Partner
    from prm.tenancy.context import tenant_context
    from scorecards.models import Scorecard

    with tenant_context(tenant):
        partner = Partner.objects.filter(stage="signed").order_by("pk").first()
        run = PayoutRun.objects.order_by("pk").first()
        card = Scorecard.objects.order_by("pk").first()
    slug = tenant.slug
    urls = [
        ("dashboard", f"/t/{slug}/"),
        ("partners", f"/t/{slug}/partners/"),
        ("pipeline board", f"/t/{slug}/pipeline/"),
        ("partner page", f"/t/{slug}/partners/{partner.pk}/"),
        ("deals", f"/t/{slug}/deals/"),
        ("scorecards", f"/t/{slug}/scorecards/"),
        ("one scorecard", f"/t/{slug}/scorecards/{card.pk}/"),
        ("payout runs", f"/t/{slug}/payouts/"),
        ("payout run", f"/t/{slug}/payouts/{run.pk}/"),
        ("sales", f"/t/{slug}/sales/"),
        ("sales, page 1,000", f"/t/{slug}/sales/?page=1000"),
        ("targets", f"/t/{slug}/targets/"),
        ("onboarding", f"/t/{slug}/onboarding/"),
        ("team activity", f"/t/{slug}/reports/activity/"),
        ("tiers", f"/t/{slug}/tiers/"),
        ("leads", f"/t/{slug}/leads/"),
    ]
    rows = []
    for name, url in urls:
        client.get(url)  # warm
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        rows.append(
            {
                "what": name,
                "url": url,
                "status": response.status_code,
                "ms": round(elapsed * 1000),
                "kib": round(len(response.content) / 1024),
            }
        )
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
    return [
        {
            "what": "one scorecard PDF (warm)",
            "product_s": product["seconds"],
            "floor_s": minimal["seconds"],
            "ratio": round(product["seconds"] / minimal["seconds"], 1),
        }
    ]


def workers(tenant, client, redis_url: str, cap: int = BATCH_CAP) -> dict:
    """The PDF batch, a payout run, a scorecard compute and a tier recompute with 1 and with 2 Celery
    worker processes.

    Each job is started through the API, as the product starts it, sent to
    ``redis_url`` (flushed first) and done by a real worker subprocess on the
    bench database; its seconds are the job's own, from created to finished.
    The batch renders at most ``cap`` scorecards (``_batch_period``). Without
    Redis the section is skipped, never failed: CI asserts no timing.
    """
    from .generate import QUARTER

    if not _redis_flushed(redis_url):
        return {"skipped": "no Redis"}
    period, cards, of = _batch_period(tenant, QUARTER, cap)
    base = f"/api/v1/tenants/{tenant.slug}"
    jobs, loads = {"pdf": [], "payout": [], "scorecards": [], "tiers": []}, []
    try:
        with tempfile.TemporaryDirectory(prefix="prm-bench-media-") as media, _sending_to(redis_url):
            for processes in (1, 2):
                _redis_flushed(redis_url)
                with _worker(processes, redis_url, media):
                    loads.append(round(os.getloadavg()[0], 1))  # other work on the machine holds two back
                    jobs["pdf"].append(
                        _job(tenant, client, f"{base}/scorecards/pdf-batch/", period, timeout=60 + cards)
                    )
                    jobs["payout"].append(_job(tenant, client, f"{base}/payout-runs/", QUARTER, timeout=600))
                    jobs["scorecards"].append(
                        _job(tenant, client, f"{base}/scorecards/compute/", QUARTER, timeout=600)
                    )
                    jobs["tiers"].append(_job(tenant, client, f"{base}/tiers/recompute/", None, timeout=600))
    finally:
        if period != QUARTER:
            _drop_batch_copies(tenant, period)
    ranges = jobs["payout"][0].params.get("total", 1)
    card_ranges = jobs["scorecards"][0].params.get("total", 1)
    tier_ranges = jobs["tiers"][0].params.get("total", 1)
    return {
        "redis": redis_url,
        "pool": "prefork",
        "load_before": loads,
        "rows": [
            _speedup(f"PDF batch ({cards:,} scorecards{f' of {of:,}' if of > cards else ''})", jobs["pdf"]),
            _speedup(f"payout run (one quarter, {ranges} range{'s' if ranges != 1 else ''})", jobs["payout"]),
            _speedup(
                f"scorecard compute ({card_ranges} range{'s' if card_ranges != 1 else ''})",
                jobs["scorecards"],
            ),
            _speedup(f"tier recompute ({tier_ranges} range{'s' if tier_ranges != 1 else ''})", jobs["tiers"]),
        ],
    }


def _speedup(what: str, jobs: list) -> dict:
    """One row of the workers table: seconds with 1 and 2 processes, and the speed-up."""
    one, two = (round((j.finished_at - j.created_at).total_seconds(), 2) for j in jobs)
    return {"what": what, "one_s": one, "two_s": two, "speedup": round(one / two, 2) if two else None}


def _bench_database_of(url: str | None) -> str | None:
    """The bench's own Redis database (12) on the server ``url`` names: the bench flushes it, so
    never the database the product's broker uses."""
    if not url:
        return None
    return urlunsplit(urlsplit(url)._replace(path="/12"))


def _redis_flushed(url: str) -> bool:
    """True once the bench's Redis database answers and is emptied; False when no Redis is reachable."""
    import redis

    try:
        connection = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        connection.flushdb()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
        return False
    return True


def _batch_period(tenant, quarter: str, cap: int) -> tuple[str, int, int]:
    """The period the batch renders, its number of scorecards, and the quarter's.

    Up to ``cap`` scorecards, the bench quarter itself; past it, copies of its
    first ``cap`` scorecards and their lines in a period of their own, ten
    years back (removed after the section), so the batch keeps a set length.
    """
    from prm.tenancy.context import tenant_context
    from scorecards.models import Scorecard, ScorecardLine

    with tenant_context(tenant):
        count = Scorecard.objects.filter(period=quarter).count()
        if count <= cap:
            return quarter, count, count
        year, q = quarter.split("-")
        period = f"{int(year) - 10}-{q}"
        _drop_batch_copies(tenant, period)
        originals = list(Scorecard.objects.filter(period=quarter).order_by("pk")[:cap])
        lines = list(ScorecardLine.objects.filter(scorecard__in=originals))
        copies = {}
        for card in originals:
            original = card.pk
            card.pk, card.period = None, period
            copies[original] = card
        Scorecard.objects.bulk_create(copies.values())
        for line in lines:
            line.pk, line.scorecard = None, copies[line.scorecard_id]
        ScorecardLine.objects.bulk_create(lines, batch_size=5_000)
    return period, len(originals), count


def _drop_batch_copies(tenant, period: str) -> None:
    """Remove the copied scorecards (and their lines) of an earlier capped batch."""
    from prm.tenancy.context import tenant_context
    from scorecards.models import Scorecard

    with tenant_context(tenant):
        Scorecard.objects.filter(period=period).delete()


@contextmanager
def _sending_to(redis_url: str):
    """Inside the block, tasks this process starts go to ``redis_url`` instead of running in-process.

    The rest of the bench runs them eagerly (it measures the computations
    themselves); Celery's cached producer pool is dropped on the way in and out.
    """
    from prm.celery import app

    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    _drop_producers(app)
    app.conf.update(broker_url=redis_url, task_always_eager=False)
    try:
        yield
    finally:
        _drop_producers(app)
        app.conf.update(saved)


def _drop_producers(app) -> None:
    """Forget Celery's broker connections, so the next task is sent with the current ``broker_url``."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def _worker(processes: int, redis_url: str, media_root: str):
    """A Celery worker (``make worker``'s queues) of ``processes`` prefork processes on the bench database.

    Started and waited for until ready; stopped on the way out with a warm
    shutdown (SIGTERM), killed only if it does not stop within a minute.
    """
    from django.conf import settings

    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": media_root,
        "DJANGO_SETTINGS_MODULE": "prm.settings",
    }
    queues = f"{settings.CELERY_TASK_DEFAULT_QUEUE},{settings.CELERY_PDF_QUEUE}"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "prm",
        "worker",
        "-Q",
        queues,
        "-c",
        str(processes),
        "--pool",
        "prefork",
        "-l",
        "info",
        "-n",
        f"bench{processes}-{os.getpid()}@%h",
        "--without-gossip",
        "--without-mingle",
    ]
    log = Path(media_root) / f"worker-{processes}.log"
    with log.open("wb") as output:
        worker = subprocess.Popen(
            command,
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_ready(worker, log)
            yield worker
        finally:
            _stop(worker)


def _wait_until_ready(worker, log: Path, timeout: float = 90) -> None:
    """Return once the worker logs that it is ready; RuntimeError (with its log) if it exits or stalls."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if " ready." in log.read_text(errors="replace"):
            return
        if worker.poll() is not None:
            raise RuntimeError(f"the bench's Celery worker exited ({worker.returncode}):\n{_tail(log)}")
        time.sleep(0.2)
    raise RuntimeError(f"the bench's Celery worker was not ready after {timeout:.0f} s:\n{_tail(log)}")


def _stop(worker) -> None:
    """Warm shutdown of the worker we started (its pid only); a kill if it has not stopped in a minute."""
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _tail(log: Path, lines: int = 30) -> str:
    """The last lines of a worker's log, for an error message."""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _job(tenant, client, url: str, period: str | None, *, timeout: float):
    """POST ``{"period"}`` (nothing without one) to a job-starting API endpoint, then poll the job
    row until it finishes.

    Returns the finished Job; RuntimeError if it failed or is not done after ``timeout`` seconds.
    """
    from prm.jobs.models import Job
    from prm.tenancy.context import tenant_context

    response = client.post(url, {"period": period} if period else {}, content_type="application/json")
    if response.status_code != 202:
        raise RuntimeError(f"POST {url} answered {response.status_code}: {response.content[:500]!r}")
    deadline = time.monotonic() + timeout
    with tenant_context(tenant):
        while True:
            job = Job.objects.get(pk=response.json()["id"])
            if job.is_finished:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"job {job.pk} ({job.kind}) still {job.status} after {timeout:.0f} s")
            time.sleep(0.25)
    if job.status != "succeeded":
        raise RuntimeError(f"job {job.pk} ({job.kind}) failed: {job.error}")
    return job


def table(results: dict) -> str:
    lines = [
        f"PRM bench, size {results['size']} ({results['partners']:,} partners, {results['sales']:,} sales), "
        f"{results['machine']}",
        "",
    ]
    lines.append(
        f"{'computation':34} {'product':>9} {'floor':>8} {'ratio':>6} {'queries':>8} {'peak MB':>8} {'RSS MB':>8} "
        f"{'rows':>9}"
    )
    for r in results["computations"]:
        lines.append(
            f"{r['what']:34} {r['product_s']:>8.2f}s {r['floor_s']:>7.2f}s {r['ratio']:>5}× "
            f"{r['queries']:>8} {r['peak_mb']:>8} {r.get('rss_peak_mb')!s:>8} {r['rows']:>9,}"
        )
    from .shared import table as shared_table

    lines += shared_table(results.get("shared") or {})
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
    lines += ["", *workers_table(results.get("workers") or {"skipped": "not run"})]
    return "\n".join(lines)


def workers_table(workers: dict) -> list[str]:
    """The workers section's lines: seconds with 1 and 2 Celery processes, and the speed-up."""
    if "skipped" in workers:
        return [f"{'workers (Celery)':34} skipped: {workers['skipped']}"]
    lines = [f"{'workers (Celery, prefork)':34} {'1 proc':>9} {'2 procs':>8} {'speed-up':>9}"]
    for r in workers["rows"]:
        lines.append(f"{r['what']:34} {r['one_s']:>8.2f}s {r['two_s']:>7.2f}s {r['speedup']:>8}×")
    one, two = workers["load_before"]
    lines.append(f"{'load average at the start':34} {one:>9} {two:>8}   on {os.cpu_count()} cores")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the bench database as an earlier run left it (no new database, no generation)",
    )
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"sections to run, comma separated: {','.join(SECTIONS)}"
    )
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    if unknown := set(only) - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("make bench needs PostgreSQL: set DATABASE_URL (and DATABASE_OWNER_URL) as for make test.")
        return 2
    redis_url = (
        os.environ.get("BENCH_REDIS_URL") or _bench_database_of(os.environ.get("REDIS_URL")) or BENCH_REDIS
    )
    _point_at_bench_database()
    if not args.reuse:
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
    main_tenant = bool(set(only) - {"shared"})  # (the shared section has a tenant of its own)
    if args.reuse:
        from .generate import bench_tenant

        tenant = bench_tenant() if main_tenant else None
        shared = _earlier("bench-shared") if "shared" in only else None
    else:
        from .generate import generate_shared

        tenant = generate(partners=partners, sales=sales) if main_tenant else None
        shared = generate_shared(partners=partners, sales=sales) if "shared" in only else None
    _analyze()
    generated = time.perf_counter() - started

    client = Client()
    from prm.tenancy.models import Membership

    if tenant is not None:
        client.session_user = Membership.objects.for_tenant(tenant).get().user
        client.force_login(client.session_user, backend="django.contrib.auth.backends.ModelBackend")
    measure = Measure(args.repeat)
    results = {
        "size": args.size,
        "partners": partners,
        "sales": sales,
        "generate_s": round(generated, 1),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "computations": computations(tenant, measure) if "computations" in only else [],
    }
    for row in results["computations"]:  # as soon as known: the rest takes a while at large sizes
        print(
            f"{row['what']}: product {row['product_s']}s, floor {row['floor_s']}s, {row['ratio']}x",
            flush=True,
        )
    if shared is not None:
        from . import shared as shared_section

        results["shared"] = shared_section.section(shared, measure.repeat)
        print("\n".join(shared_section.table(results["shared"])), flush=True)
    _analyze(vacuum=True)  # the computations rewrote their tables: read them as autovacuum leaves them
    results["lists"] = lists(tenant, client) if "lists" in only else []
    results["pages"] = pages(tenant, client) if "pages" in only else []
    results["pdf"] = pdfs(tenant) if "pdf" in only else []
    if "workers" in only:
        results["workers"] = workers(tenant, client, redis_url, cap=BATCH_CAPS.get(args.size, BATCH_CAP))
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    print(table(results))
    errors = [p for p in results["pages"] if p["status"] != 200]
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""``make bench [SIZE=small|large]``: every computation against its raw SQL floor, in one run.

Loads a fresh database ``prm_bench`` (beside the one ``DATABASE_URL`` names,
made by the owner role, migrated, then used as the web role exactly as
production runs), generates the bench tenant (``bench/generate.py``), then
measures, alternating product and floor and repeating:

- tier recompute, scorecard compute and payout run: time, queries, peak
  Python memory (traced) and peak resident memory, rows written, against ``bench/floors``;
- the payout run over customers shared across partners and overlapping rules
  (a tenant of its own, ``generate_shared``), in place and in ranges joined: time
  against its floor, peak Python and resident memory, its warnings and what
  reading them costs; then the tier recompute and the scorecard compute of that
  tenant, in place and in ranges joined, likewise (``bench/shared.py``);
- live figures: one partner's refresh (``partners.live``) against the bare aggregate of its sales
  (``bench/live.py``);
- list APIs, called with a token as clients do, against a bare JSON view of the same rows
  (requests per second, alternated, the best of three each);
- pages: time and size;
- one scorecard PDF against a minimal WeasyPrint page;
- workers: the PDF batch, a payout run, a scorecard compute and a tier recompute started
  through the API as the product starts them, done by a real Celery worker of 1, then 2, prefork
  processes (on a Redis database of the bench's own; skipped without Redis);
- load (at the large size, or with ``--only load``): many users of two tenants at once over HTTP,
  against gunicorn and a Celery worker as deployed, then clients added until the requests per
  second stop rising, beside a bare view; every answer checked for another tenant's or partner's
  rows (``bench/load.py``).

Prints one table and writes ``bench/results.json``. Timings are reported,
never asserted: CI runs ``small`` to prove the bench works. The run fails on a page that does not
answer 200 and on the load section's errors and leaks.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .computations import Measure, computations
from .live import section as live_section
from .live import table as live_table
from .load import section as load_section
from .load import table as load_table
from .reads import lists, pages, pdfs
from .workers import BATCH_CAP, BATCH_CAPS, _bench_database_of, _redis_flushed, workers, workers_table

SIZES = {"small": (1_000, 100_000), "medium": (10_000, 1_000_000), "large": (100_000, 10_000_000)}
RESULTS = Path(__file__).resolve().parent / "results.json"
BENCH_DB = os.environ.get("BENCH_DATABASE_NAME", "prm_bench")
BENCH_REDIS = "redis://127.0.0.1:6379/12"
SECTIONS = ("computations", "shared", "live", "lists", "pages", "pdf", "workers", "load")
#: sections run unless ``--only`` names them: ``load`` (a minute or two of HTTP) only at the large size
DEFAULT_SECTIONS = {"large": SECTIONS}


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


def _earlier(slug: str):
    """The tenant ``slug`` an earlier run generated, or None (its section is then left out)."""
    from prm.tenancy.models import Tenant

    found = Tenant.objects.filter(slug=slug).first()
    if found is None:
        print(f"no tenant {slug} in the bench database: its section is left out", flush=True)
    return found


def table(results: dict) -> str:
    lines = [
        f"PRM bench, size {results['size']} ({results['partners']:,} partners, {results['sales']:,} sales), "
        f"{results['machine']}",
        "",
    ]
    lines.append(
        f"{'computation':34} {'product':>9} {'floor':>8} {'ratio':>6} {'core':>8} {'×core':>6} {'queries':>8} "
        f"{'peak MB':>8} {'RSS MB':>8} {'rows':>9}"
    )
    for r in results["computations"]:
        lines.append(
            f"{r['what']:34} {r['product_s']:>8.2f}s {r['floor_s']:>7.2f}s {r['ratio']:>5}× "
            f"{r['core_s']:>7.2f}s {r['core_ratio']!s:>5}× "
            f"{r['queries']:>8} {r['peak_mb']:>8} {r.get('rss_peak_mb')!s:>8} {r['rows']:>9,}"
        )
    from .shared import table as shared_table

    lines += shared_table(results.get("shared") or {})
    lines += ["", *live_table(results.get("live") or [])]
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
    lines += [
        "",
        *load_table(results.get("load") or {"skipped": "not run (large size only, or --only load)"}),
    ]
    return "\n".join(lines)


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
        "--only",
        default="",
        help=f"sections to run, comma separated: {','.join(SECTIONS)} (default: all but load; large: all)",
    )
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()] or list(
        DEFAULT_SECTIONS.get(args.size, SECTIONS[:-1])
    )
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
        client.session_user = Membership.objects.for_tenant(tenant).filter(role="admin").earliest("pk").user
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
            f"{row['what']}: product {row['product_s']}s, floor {row['floor_s']}s, {row['ratio']}x, "
            f"core floor {row['core_s']}s, {row['core_ratio']}x",
            flush=True,
        )
    if shared is not None:
        from . import shared as shared_section

        results["shared"] = shared_section.section(shared, measure.repeat)
        print("\n".join(shared_section.table(results["shared"])), flush=True)
    _analyze(vacuum=True)  # the computations rewrote their tables: read them as autovacuum leaves them
    results["live"] = live_section(tenant, measure.repeat) if "live" in only else []
    results["lists"] = lists(tenant, client) if "lists" in only else []
    results["pages"] = pages(tenant, client) if "pages" in only else []
    results["pdf"] = pdfs(tenant) if "pdf" in only else []
    if "workers" in only:
        results["workers"] = workers(tenant, client, redis_url, cap=BATCH_CAPS.get(args.size, BATCH_CAP))
    if "load" in only:
        results["load"] = load_section(
            tenant, args.size, partners, sales, redis_url, redis_up=_redis_flushed(redis_url)
        )
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    print(table(results))
    errors = [p for p in results["pages"] if p["status"] != 200]
    load = results.get("load") or {}
    if load.get("errors") or load.get("leaks"):
        print(
            f"load: {load['errors']} errors, {load['leaks']} leaks: {load['error_samples']}", file=sys.stderr
        )
    return 1 if errors or load.get("errors") or load.get("leaks") else 0


if __name__ == "__main__":
    sys.exit(main())

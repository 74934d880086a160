"""The bench's ``load`` section: many users at once, over HTTP, against the product as it is deployed.

Starts gunicorn (``gunicorn prm.wsgi -c python:prm.ops.gunicorn``, as ``docs/deployment.md`` runs the
web service; ``bench.wsgi`` adds the bare views) and a Celery worker on the bench database as the
web role, over two tenants (``bench/load_users.py``), then drives them with threads, each a client
of its own (``requests``):

- users: each user reads the five pages and five list APIs its role reads most, pausing a second between
  requests, for a while; seconds per group (p50, p95, p99), errors and leaks;
- saturation: clients without pauses, 1, 2, 4, 8, … until the requests per second stop rising, for
  the product's mix and for a bare Django view (a fixed 1 KiB of JSON) alike; the mix's best as a
  share of the bare view's.

Both go through PgBouncer in transaction mode when ``pgbouncer`` is installed (``.ci/pgbouncer`` on
port ``BENCH_PGBOUNCER_PORT``, 6433, started and stopped here), as production runs them
(``docs/deployment.md``); else straight to PostgreSQL, and the table says which.

Every answer is checked to hold nothing of another tenant or partner. Errors and leaks fail the
run; timings never do.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from django.db import connection

from prm.ops.pooler import close_pooled

from .load_users import computed, readers, second_tenant
from .workers import _stop, _worker

#: (users, seconds of the users phase, seconds of each saturation step) by size
SHAPES = {"small": (10, 10, 3), "medium": (25, 30, 5), "large": (50, 60, 10)}
MOST_CLIENTS = 64
FIXED = "/bench/bare/fixed/"


def section(tenant, size: str, partners: int, sales: int, redis_url: str, redis_up: bool) -> dict:
    """The load section's figures (``table`` prints them); the second tenant has a tenth of the
    bench tenant's partners and a twentieth of its sales."""
    users, seconds, step = SHAPES.get(size, SHAPES["large"])
    before = round(os.getloadavg()[0], 1)  # other work on the machine slows every figure down
    computed(tenant)
    second = second_tenant(max(100, partners // 10), max(5_000, sales // 20))
    names = {tenant.slug: tenant.name, second.slug: second.name}
    people = readers([tenant, second], users)
    _said("tenants and users ready")
    with tempfile.TemporaryDirectory(prefix="prm-bench-load-") as folder, ExitStack() as stack:
        pooled = stack.enter_context(_pooler())
        if redis_up:
            stack.enter_context(_worker(1, redis_url, folder))
        base = stack.enter_context(_gunicorn(folder, redis_url if redis_up else None))
        _said("gunicorn and the worker answer")
        refused = _probe(base, people, names)
        phase = _drive(base, people, names, clients=users, seconds=seconds, pause=1.0)
        _said(
            f"{users} users done: {phase['requests']} requests, {phase['errors']} errors, {phase['leaks']} leaks"
        )
        saturation = _saturate(base, people, names, step)
        _said("saturation done")
    _said("servers stopped")
    return {
        "users": users,
        "seconds": seconds,
        "tenants": [tenant.slug, second.slug],
        "roles": sorted({p.role for p in people}),
        "worker": "1 Celery process" if redis_up else "none (no Redis)",
        "database": pooled,
        "load_before": before,
        "refused": refused,
        "groups": _groups(phase),
        "requests": phase["requests"],
        "errors": phase["errors"] + saturation["errors"],
        "leaks": phase["leaks"] + saturation["leaks"],
        "error_samples": (phase["samples"] + saturation["samples"])[:5],
        "saturation": saturation["rows"],
        "product_rps": saturation["product_rps"],
        "bare_rps": saturation["bare_rps"],
        "share": round(saturation["product_rps"] / saturation["bare_rps"], 2)
        if saturation["bare_rps"]
        else None,
    }


def _said(what: str) -> None:
    print(f"load: {what} ({time.strftime('%H:%M:%S')})", flush=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _pooler():
    """PgBouncer in transaction mode in front of the bench database while the block runs, the web
    role's ``DATABASE_URL`` (which gunicorn and the worker inherit) pointed at it; yields what the
    table says of the connections."""
    port = os.environ.get("BENCH_PGBOUNCER_PORT", "6433")
    url = os.environ["DATABASE_URL"]
    if not shutil.which("pgbouncer"):
        yield "straight to PostgreSQL (pgbouncer is not installed)"
        return
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        ["bash", str(root / ".ci/pgbouncer")], env={**os.environ, "PGBOUNCER_PORT": port}, check=True
    )
    parts = urlsplit(url)
    who = parts.netloc.rpartition("@")[0]  # the web role (and its password)
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(netloc=f"{who}@127.0.0.1:{port}"))
    try:
        yield f"through PgBouncer, transaction mode (:{port})"
    finally:
        os.environ["DATABASE_URL"] = url
        owner = urlsplit(os.environ.get("DATABASE_OWNER_URL") or url).username
        close_pooled("127.0.0.1", port, owner, connection.settings_dict["NAME"])
        pid = Path(f"/tmp/prm-pgbouncer-{port}/pgbouncer.pid")
        if pid.exists():
            os.kill(int(pid.read_text()), signal.SIGTERM)


@contextmanager
def _gunicorn(folder: str, redis_url: str | None):
    """gunicorn as the web service runs it, on a free local port; yields its base URL."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "prm.settings",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "PROMETHEUS_MULTIPROC_DIR": str(Path(folder) / "prometheus"),
        "MEDIA_ROOT": folder,
        "LOG_LEVEL": "WARNING",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    command = [sys.executable, "-m", "gunicorn", "bench.wsgi", "-c", "python:prm.ops.gunicorn"]
    log = Path(folder) / "gunicorn.log"
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        server = subprocess.Popen(
            command,
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(base + FIXED, timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
                    raise RuntimeError(f"the bench's gunicorn did not answer:\n{tail}")
                time.sleep(0.2)
            yield base
        finally:
            _stop(server)


def _probe(base: str, people: list, names: dict) -> dict:
    """Each reader's mix, once: what its role is refused (403/404) leaves its mix; returns the
    refusals by role. Any other answer but 200 is an error later, in the phases."""
    refused: dict[str, set] = {}
    for reader in people:
        with _session(reader) as session:
            kept = []
            for group, what, path in reader.requests:
                status = session.get(
                    base + _path(reader, path), headers=reader.headers(group == "APIs")
                ).status_code
                if status in (403, 404):
                    refused.setdefault(reader.role, set()).add(what)
                else:
                    kept.append((group, what, path))
            reader.requests = kept or reader.requests[:1]  # (none: its first, an error each time)
    return {role: sorted(whats) for role, whats in sorted(refused.items())}


@contextmanager
def _session(reader):
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, reader.session)
    try:
        yield session
    finally:
        session.close()


def _path(reader, path: str) -> str:
    return path.replace("{partner}", str(random.choice(reader.partner_ids)))


def _drive(
    base: str, people: list, names: dict, *, clients: int, seconds: float, pause: float, bare=False
) -> dict:
    """``clients`` threads, each a reader of its own (taken in turn) reading its mix at random (or
    the bare view), pausing ``pause`` seconds between requests, for ``seconds``."""
    tally = {"requests": 0, "errors": 0, "leaks": 0, "samples": [], "times": {"pages": [], "APIs": []}}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(reader):
        other = next(name for slug, name in names.items() if slug != reader.tenant)
        with _session(reader) as session:
            while time.monotonic() < stop:
                group, what, path = ("bare", "fixed", FIXED) if bare else random.choice(reader.requests)
                started = time.perf_counter()
                try:
                    response = session.get(
                        base + _path(reader, path), headers=reader.headers(group != "pages"), timeout=60
                    )
                    status, text = response.status_code, response.text
                except Exception as error:  # noqa: BLE001 - a failed request is counted, not raised
                    status, text = repr(error), ""
                elapsed = time.perf_counter() - started
                leaks = 0 if bare else reader.leaks(text, other)
                with lock:
                    tally["requests"] += 1
                    tally["times"].setdefault(group, []).append(elapsed)
                    if status != 200:
                        tally["errors"] += 1
                        tally["samples"].append(f"{reader.username} {what}: {status}")
                    if leaks:
                        tally["leaks"] += leaks
                        tally["samples"].append(f"{reader.username} {what}: leak")
                if pause:
                    time.sleep(min(pause, max(0.0, stop - time.monotonic())))

    threads = [threading.Thread(target=client, args=(people[n % len(people)],)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally["rps"] = tally["requests"] / (time.perf_counter() - started)
    return tally


def _saturate(base: str, people: list, names: dict, step: float) -> dict:
    """Clients added, doubling, until the requests per second stop rising (less than 5 % more than
    the best so far): the product's mix, then the bare view, by the same generator."""
    rows, errors, leaks, samples, best = [], 0, 0, [], {}
    for bare in (False, True):
        top, clients = 0.0, 1
        while clients <= MOST_CLIENTS:
            run = _drive(base, people, names, clients=clients, seconds=step, pause=0, bare=bare)
            errors, leaks, samples = errors + run["errors"], leaks + run["leaks"], samples + run["samples"]
            rows.append(
                {
                    "what": "bare view" if bare else "product mix",
                    "clients": clients,
                    "rps": round(run["rps"], 1),
                }
            )
            if run["rps"] < top * 1.05:
                top = max(top, run["rps"])
                break
            top, clients = max(top, run["rps"]), clients * 2
        best["bare" if bare else "product"] = round(top, 1)
    return {
        "rows": rows,
        "errors": errors,
        "leaks": leaks,
        "samples": samples,
        "product_rps": best["product"],
        "bare_rps": best["bare"],
    }


def _groups(phase: dict) -> list[dict]:
    rows = []
    for group in ("pages", "APIs"):
        times = sorted(phase["times"].get(group) or [])
        if len(times) < 2:
            continue
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        rows.append(
            {
                "what": group,
                "requests": len(times),
                "p50_ms": round(cuts[49] * 1000),
                "p95_ms": round(cuts[94] * 1000),
                "p99_ms": round(cuts[98] * 1000),
            }
        )
    return rows


def table(load: dict) -> list[str]:
    """The load section's lines."""
    if not load:
        return []
    if "skipped" in load:
        return [f"{'load (many users)':34} skipped: {load['skipped']}"]
    lines = [
        f"{'load: ' + str(load['users']) + ' users, ' + str(load['seconds']) + ' s':34} "
        f"{'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    ]
    for r in load["groups"]:
        lines.append(
            f"{'  ' + r['what']:34} {r['requests']:>9} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8}"
        )
    lines.append(f"{'  errors, leaks':34} {load['errors']:>9} {load['leaks']:>8}")
    lines.append(f"{'  load average at the start':34} {load['load_before']:>9}   on {os.cpu_count()} cores")
    lines.append(f"{'  database':34} {load.get('database', '')}")
    for role, whats in load["refused"].items():
        lines.append(f"{'  refused to ' + role:34} {', '.join(whats)}")
    lines.append(f"{'saturation (clients → req/s)':34} {'clients':>9} {'req/s':>8}")
    for r in load["saturation"]:
        lines.append(f"{'  ' + r['what']:34} {r['clients']:>9} {r['rps']:>8}")
    lines.append(
        f"{'  product mix / bare view':34} {load['product_rps']:>9} {load['bare_rps']:>8} {load['share']!s:>6}"
    )
    return lines

"""The bench's ``workers`` section: jobs started through the API as the product starts them, done by
a real Celery worker subprocess of 1, then 2, prefork processes on a Redis database of the bench's own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

#: Scorecards in the workers' PDF batch at most (past it, copies of the quarter's first ones): small
#: stays within CI's few minutes, larger sizes within a quarter of an hour.
BATCH_CAPS = {"small": 300}
BATCH_CAP = 2_000


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

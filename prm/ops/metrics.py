"""Prometheus metrics: what the product does, counted where it happens, read at ``/metrics``.

Every metric is named ``prm_…``. Counters and histograms are kept by ``prometheus_client``; with
several processes (gunicorn's workers, Celery's pool) set ``PROMETHEUS_MULTIPROC_DIR`` to a folder
of the host or container, empty at start: each process then writes its values there and a scrape
adds them up (``registry``). Queue lengths are read from Redis at the moment of the scrape, so every
process gives the same numbers.

Recording never fails what it records: an error here is logged and forgotten (``safely``).
"""

from __future__ import annotations

import functools
import logging
import os

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from . import queues

logger = logging.getLogger(__name__)

SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
JOB_SECONDS = (0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600)
DB_SECONDS = (0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5)

disable_created_metrics()  # no *_created series: Prometheus does not need them
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # each metric opens its file there as it is made
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

HTTP_REQUESTS = Counter(
    "prm_http_requests", "Requests answered, by route, method and status", ["route", "method", "status"]
)
HTTP_SECONDS = Histogram(
    "prm_http_request_duration_seconds",
    "Time to answer a request, by route",
    ["route", "method"],
    buckets=SECONDS,
)
DB_STATEMENT_SECONDS = Histogram(
    "prm_db_statement_duration_seconds",
    "Time of each database statement, by connection",
    ["database"],
    buckets=DB_SECONDS,
)
JOBS = Counter("prm_jobs", "Jobs by kind and what happened (started, succeeded, failed)", ["kind", "outcome"])
JOB_SECONDS_RUN = Histogram(
    "prm_job_duration_seconds",
    "Jobs' time from start to end, by kind and outcome",
    ["kind", "outcome"],
    buckets=JOB_SECONDS,
)
JOBS_RESCUED = Counter(
    "prm_jobs_rescued",
    "Jobs of a lost worker or a lost send: sent again (retried) or given up (failed)",
    ["outcome"],
)
WEBHOOK_DELIVERIES = Counter(
    "prm_webhook_deliveries",
    "Webhook delivery attempts by outcome (succeeded, failed, retrying)",
    ["outcome"],
)
EMAILS = Counter(
    "prm_emails", "E-mails by outcome (sent, retried, failed, kept while the queue was down)", ["outcome"]
)
IMPORT_ROWS = Counter(
    "prm_import_rows", "Rows of imports that were taken, by outcome (created, unchanged)", ["outcome"]
)
IMPORT_REFUSALS = Counter("prm_import_refusals", "Imports refused whole (nothing written)")
IMPORT_PROBLEMS = Counter("prm_import_problems", "Problems reported by refused imports (rows or file)")
LOGINS = Counter("prm_logins", "Logins by outcome (success, failure, lockout)", ["outcome"])


def safely(record):
    """A recording function that never raises into the code it counts."""

    @functools.wraps(record)
    def wrapper(*args, **kwargs):
        try:
            record(*args, **kwargs)
        except Exception:
            logger.warning("a metric could not be recorded (%s)", record.__name__, exc_info=True)

    return wrapper


@safely
def request_answered(route: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(route, method, str(status)).inc()
    HTTP_SECONDS.labels(route, method).observe(seconds)


@safely
def statement_timed(database: str, seconds: float) -> None:
    DB_STATEMENT_SECONDS.labels(database).observe(seconds)


@safely
def job_event(job, outcome: str) -> None:
    """A job started, succeeded or failed (``prm.jobs.services.job_mark_*``)."""
    JOBS.labels(job.kind, outcome).inc()
    if outcome != "started" and job.started_at and job.finished_at:
        JOB_SECONDS_RUN.labels(job.kind, outcome).observe((job.finished_at - job.started_at).total_seconds())


@safely
def jobs_rescued(retried: int, failed: int) -> None:
    JOBS_RESCUED.labels("retried").inc(retried)
    JOBS_RESCUED.labels("failed").inc(failed)


@safely
def webhook_delivered(outcome: str) -> None:
    WEBHOOK_DELIVERIES.labels(outcome).inc()


@safely
def email(outcome: str, count: int = 1) -> None:
    EMAILS.labels(outcome).inc(count)


@safely
def import_taken(created: int, unchanged: int) -> None:
    IMPORT_ROWS.labels("created").inc(created)
    IMPORT_ROWS.labels("unchanged").inc(unchanged)


@safely
def import_refused(problems: int) -> None:
    IMPORT_REFUSALS.inc()
    IMPORT_PROBLEMS.inc(problems)


@safely
def login(outcome: str) -> None:
    LOGINS.labels(outcome).inc()


class QueueCollector:
    """``prm_queue_length{queue}`` and ``prm_queue_up``, read from Redis at each scrape."""

    def collect(self):
        up = GaugeMetricFamily("prm_queue_up", "1 when the job queue (Redis) answered this scrape")
        if not queues.broker_configured():
            up.add_metric([], 1)
            yield up
            return
        length = GaugeMetricFamily("prm_queue_length", "Tasks waiting in each queue", labels=["queue"])
        try:
            lengths = queues.queue_lengths()
        except Exception as exc:
            logger.warning("queue lengths could not be read: %s", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for name, count in lengths.items():
            length.add_metric([name], count)
        yield up
        yield length


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


_queue_collector = QueueCollector()
if not multiprocess_dir():  # one process: the queue lengths join its own registry, once
    REGISTRY.register(_queue_collector)


def registry() -> CollectorRegistry:
    """What a scrape reads: this process's metrics, or every process's in multiprocess mode."""
    if multiprocess_dir():
        scraped = CollectorRegistry()
        multiprocess.MultiProcessCollector(scraped)
        scraped.register(_queue_collector)
        return scraped
    return REGISTRY

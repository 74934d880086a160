"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: each check with its time).

Both answer JSON, without authentication, and say nothing secret: a failed check names the kind of
error (its exception class), never its message, which may carry a host, a user or a path. They are
answered by ``middleware.OpsMiddleware`` before any other middleware, so a probe from inside the
container (plain HTTP, ``Host: 127.0.0.1``) is neither redirected to HTTPS nor refused for its host.

``/readyz`` checks, in order:

- ``database``: a statement on the default connection, the web role's (``DATABASE_URL``);
- ``migrations``: no migration of the code is missing from the database;
- ``queue``: the broker (Redis) answers, with each queue's length; without a broker (tasks run
  in the web process, the demo) it is ``eager`` and passes;
- ``storage``: a small file is written to the private storage (folder or bucket) and removed.

It answers 200 when every check passes, else 503.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.core.files.base import ContentFile
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

from prm.files import storage

from . import queues

logger = logging.getLogger(__name__)


def check_database() -> dict:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_migrations() -> dict:
    connection = connections["default"]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return {"ok": False, "unapplied": len(plan)}
    return {}


def check_queue() -> dict:
    if not queues.broker_configured():
        return {"mode": "eager"}
    queues.client().ping()
    return {"lengths": queues.queue_lengths()}


def check_storage() -> dict:
    name = storage().save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    storage().delete(name)
    return {}


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "queue": check_queue,
    "storage": check_storage,
}


def run_check(check) -> dict:
    started = time.perf_counter()
    try:
        outcome = {"ok": True, **check()}
    except Exception as exc:  # a check that fails says so; the probe never fails itself
        logger.warning("readiness check %s failed: %s", check.__name__, type(exc).__name__)
        outcome = {"ok": False, "error": type(exc).__name__}
    outcome["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return outcome


def readiness() -> tuple[bool, dict]:
    checks = {name: run_check(check) for name, check in CHECKS.items()}
    return all(c["ok"] for c in checks.values()), checks


def _json(data: dict, status: int) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["Cache-Control"] = "no-store"
    return response


def healthz(request) -> JsonResponse:
    return _json({"status": "ok"}, 200)


def readyz(request) -> JsonResponse:
    started = time.perf_counter()
    ready, checks = readiness()
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": checks,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return _json(body, 200 if ready else 503)

"""What operations listens to: database statements (their time), Celery tasks (their ids on every
log line, the request id carried from the request that sent them), and Celery's logging set-up
(the workers log as the web processes do, through ``LOGGING``)."""

from __future__ import annotations

import logging
import time

from celery import signals as celery_signals
from django.conf import settings
from django.db.backends.signals import connection_created

from prm.tenancy.context import current_tenant_id

from . import context, counting, logs, metrics

logger = logging.getLogger("prm.task")

#: the request id travels with a task in this message header
REQUEST_ID_HEADER = "prm_request_id"


def timed(execute, sql, params, many, ctx):
    """Every statement's time, added to the request's or task's (``Context.db_seconds``)."""
    started = time.perf_counter()
    try:
        return execute(sql, params, many, ctx)
    finally:
        elapsed = time.perf_counter() - started
        current = context.current()
        current.db_seconds += elapsed
        current.db_queries += 1
        current.tenant_id = current_tenant_id() or current.tenant_id
        metrics.statement_timed(ctx["connection"].alias, elapsed)


def on_connection_created(sender, connection, **kwargs):
    if timed not in connection.execute_wrappers:
        connection.execute_wrappers.append(timed)


def on_before_task_publish(sender=None, headers=None, **kwargs):
    request_id = context.current().request_id
    if headers is not None and request_id:
        headers[REQUEST_ID_HEADER] = request_id


_tokens: dict[str, object] = {}


def on_task_prerun(sender=None, task_id=None, task=None, kwargs=None, **extra):
    request = getattr(task, "request", None)
    request_id = (
        getattr(request, REQUEST_ID_HEADER, None)
        or (request.get(REQUEST_ID_HEADER) if request is not None else None)
        or context.current().request_id  # an eager task, inside its request
    )
    job_id = (kwargs or {}).get("job_id")
    token = context.bind(
        request_id=request_id,
        tenant_id=(kwargs or {}).get("tenant_id"),
        request=context.current().request,
        job_id=job_id,
        task=getattr(task, "name", None),
        task_id=task_id,
    )
    _tokens[task_id] = (token, time.perf_counter())
    logger.info("task %s started", getattr(task, "name", "?"), extra={"task_id": task_id})


def on_task_postrun(sender=None, task_id=None, task=None, state=None, **extra):
    token, started = _tokens.pop(task_id, (None, None))
    if token is None:
        return
    ctx = context.current()
    logger.info(
        "task %s %s",
        getattr(task, "name", "?"),
        (state or "done").lower(),
        extra={
            "task_id": task_id,
            "state": state,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "db_ms": round(ctx.db_seconds * 1000, 1),
            "db_queries": ctx.db_queries,
        },
    )
    try:
        context.unbind(token)
    except ValueError:  # bound in another context (a thread of its own): nothing to undo
        pass


def on_setup_logging(**kwargs):
    """A worker or beat logs through ``LOGGING`` (JSON in production), not Celery's own format."""
    logs.configure(settings.LOGGING)


def connect() -> None:
    connection_created.connect(on_connection_created, dispatch_uid="prm-ops-db-time")
    celery_signals.before_task_publish.connect(on_before_task_publish, dispatch_uid="prm-ops-publish")
    celery_signals.task_prerun.connect(on_task_prerun, dispatch_uid="prm-ops-prerun")
    celery_signals.task_postrun.connect(on_task_postrun, dispatch_uid="prm-ops-postrun")
    celery_signals.setup_logging.connect(on_setup_logging, dispatch_uid="prm-ops-logging")
    counting.connect()

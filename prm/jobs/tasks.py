"""The base classes every Celery task of the project uses.

``TenantTask`` enters the task's tenant scope (tasks take ``tenant_id``, never
ambient state). ``JobTask`` also tracks a ``Job`` row: running, progress,
succeeded with a result, or failed with the error. Transient database and
broker errors are retried with exponential backoff; the backoff stays below
the soft time limit, which stays below the broker's visibility timeout.
"""

from __future__ import annotations

import logging
import threading

from celery import Task, shared_task
from celery.exceptions import Retry
from django.db import InterfaceError, OperationalError

from prm.tenancy.context import tenant_context

from .models import Job
from .services import job_beat, job_mark_failed, job_mark_running, job_mark_succeeded

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError)


class TenantTask(Task):
    abstract = True
    # __call__ takes tenant_id/job_id that run() does not: skip Celery's signature check.
    typing = False
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 120
    retry_jitter = True
    max_retries = 5

    def __call__(self, *args, tenant_id: int, **kwargs):
        with tenant_context(tenant_id):
            return self.run(*args, tenant_id=tenant_id, **kwargs)


class Heartbeat:
    """While a job runs, a thread writes its ``heartbeat_at`` every ``PRM_JOB_HEARTBEAT_SECONDS``.

    If the whole worker dies, the beats stop and ``jobs.rescue_lost`` sends
    the job again (or gives it up) instead of leaving it ``running``.
    """

    def __init__(self, tenant_id: int, job_id: int):
        self.tenant_id, self.job_id = tenant_id, job_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"job-{job_id}-heartbeat", daemon=True)

    def _beat(self):
        from django.conf import settings
        from django.db import connection

        try:
            while not self.stopped.wait(settings.PRM_JOB_HEARTBEAT_SECONDS):
                with tenant_context(self.tenant_id):
                    job_beat(self.job_id)
        except Exception:  # a missed beat is not worth failing the job for
            logger.warning("heartbeat of job %s failed", self.job_id, exc_info=True)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=5)


#: Returned by a job task whose work goes on in other tasks (chunks), which finish the job.
CONTINUES = object()


class JobTask(TenantTask):
    """A task bound to a Job: ``run(job, **params)`` returns the JSON result.

    Returning ``CONTINUES`` leaves the job running for the tasks it sent out.
    """

    abstract = True

    def __call__(self, *args, tenant_id: int, job_id: int, **kwargs):
        with tenant_context(tenant_id):
            job = Job.objects.get(pk=job_id)
            if job.is_finished:  # a message delivered again after the job was done (a lost worker's)
                return job.result
            job_mark_running(job)
            try:
                with Heartbeat(tenant_id, job_id):
                    result = self.run(job, **kwargs)
            except Retry:
                raise
            except Exception as exc:
                logger.exception("job %s (%s) failed", job.pk, job.kind)
                job_mark_failed(job, f"{type(exc).__name__}: {exc}")
                if isinstance(exc, TRANSIENT_ERRORS):
                    raise
                return None
            if result is CONTINUES:
                return None
            job_mark_succeeded(job, result)
            return result


@shared_task(name="jobs.purge_files")
def purge_files():
    """Beat, daily: remove generated files older than ``PRM_GENERATED_FILES_DAYS`` in every tenant."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from prm.tenancy.fanout import for_each_tenant

    from .services import job_files_purge

    before = timezone.now() - timedelta(days=settings.PRM_GENERATED_FILES_DAYS)
    return for_each_tenant(
        "jobs.purge_files", lambda tenant: {"purged": job_files_purge(tenant=tenant, before=before)}
    )


@shared_task(name="jobs.rescue_lost")
def rescue_lost():
    """Beat, every minute, in every tenant: jobs whose worker died, and jobs whose task never
    reached the queue (``Job.sent_at`` empty), are sent again, or given up (``jobs_rescue_lost``)."""
    from prm.tenancy.fanout import for_each_tenant

    from .services import jobs_rescue_lost

    return for_each_tenant("jobs.rescue_lost", lambda tenant: jobs_rescue_lost(tenant=tenant))


def fan_out(job, chunk_task, plan):
    """Send one ``chunk_task`` per partner range of ``plan`` (a dataclass with ``ranges`` and
    ``token``): any worker takes one. The job goes on in them (``CONTINUES``); each counts itself
    done with ``job_chunk_done``, and the last joins the computation and finishes the job."""
    from dataclasses import asdict

    from celery import group

    from .services import job_fan_out

    job_fan_out(job, len(plan.ranges), token=plan.token)
    group(
        chunk_task.s(tenant_id=job.tenant_id, job_id=job.pk, plan=asdict(plan), index=index)
        for index in range(len(plan.ranges))
    ).apply_async()
    return CONTINUES


def failure_message(exc: Exception) -> str:
    """What a failed job says: a validation error's own words, else the exception's type and text."""
    from django.core.exceptions import ValidationError

    return " ".join(exc.messages) if isinstance(exc, ValidationError) else f"{type(exc).__name__}: {exc}"


def run_chunk(*, job_id: int, token: str, name: str, compute, join, result) -> None:
    """One chunk task of a fanned-out job (``fan_out``) of the plan ``token``: ``compute()`` its
    range; the chunk that completes the count ``join()``s every range's work and finishes the job
    with ``result(joined)``, beating while it joins (``Heartbeat``: a long join is not taken for lost).

    A failure of either fails the job (``failure_message``) and leaves what the job replaces as it
    was; a transient database or broker error in a range is raised instead, for the task to be sent
    again (in the join it fails the job). A message that comes after the job finished (another
    range failed, or it came again), or of a plan the job no longer runs, does nothing.
    """
    from .services import job_chunk_done

    job = Job.objects.get(pk=job_id)
    if job.is_finished or job.params.get("token") != token:
        return
    try:
        compute()
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.exception("%s: a range of job %s failed", name, job_id)
        job_mark_failed(Job.objects.get(pk=job_id), failure_message(exc))
        return
    job = job_chunk_done(job_id, token=token)
    if job is None:
        return
    try:  # the last range done: the ranges land whole, in one transaction
        with Heartbeat(job.tenant_id, job.pk):
            joined = join()
    except Exception as exc:
        logger.exception("%s: the join of job %s failed", name, job.pk)
        job_mark_failed(job, failure_message(exc))
        return
    job_mark_succeeded(job, result(joined))


def planned(plan_class, data: dict):
    """A plan sent to a chunk task, as the dataclass it was (JSON made its ranges lists)."""
    return plan_class(**{**data, "ranges": [tuple(r) for r in data["ranges"]]})

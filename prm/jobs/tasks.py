"""The base classes every Celery task of the project uses, and how a job runs a computation.

``TenantTask`` enters the task's tenant scope (tasks take ``tenant_id``, never
ambient state). ``JobTask`` also tracks a ``Job`` row: running, progress,
succeeded with a result, or failed with the error. Transient database and
broker errors are retried with exponential backoff; the backoff stays below
the soft time limit, which stays below the broker's visibility timeout.

``run_computation`` is a job task's whole work when the job is a computation over ranges of
partners (``prm.jobs.computations``): in place when the plan is one range, else one
``computation_chunk`` task per range, counted under a lock on the job, the last one joining.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from celery import Task, group, shared_task
from celery.exceptions import Retry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from prm.tenancy.context import tenant_context
from prm.tenancy.fanout import for_each_tenant
from prm.tenancy.models import Tenant

from .computations import Computation, Plan, chunk_measure, chunks_join, computation_named
from .models import Job
from .services import (
    job_beat,
    job_chunk_done,
    job_fan_out,
    job_files_purge,
    job_mark_failed,
    job_mark_running,
    job_mark_succeeded,
    job_set_progress,
    jobs_rescue_lost,
)

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
    before = timezone.now() - timedelta(days=settings.PRM_GENERATED_FILES_DAYS)
    return for_each_tenant(
        "jobs.purge_files", lambda tenant: {"purged": job_files_purge(tenant=tenant, before=before)}
    )


@shared_task(name="jobs.rescue_lost")
def rescue_lost():
    """Beat, every minute, in every tenant: jobs whose worker died, and jobs whose task never
    reached the queue (``Job.sent_at`` empty), are sent again, or given up (``jobs_rescue_lost``)."""
    return for_each_tenant("jobs.rescue_lost", lambda tenant: jobs_rescue_lost(tenant=tenant))


def failure_message(exc: Exception) -> str:
    """What a failed job says: a validation error's own words, else the exception's type and text."""
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


def run_computation(job: Job, computation: Computation, **params):
    """A job task's work when the job is ``computation`` (``params``: its own, e.g. the period).

    The computation is planned; one range is computed in place, its progress shown as it goes, and
    the job ends with its result. More ranges go out as one ``computation_chunk`` task each
    (``fan_out``): the job goes on in them (``CONTINUES``), each counted done under a lock on the
    job (``job_chunk_done``: nine tenths of the progress spread over the ranges), and the last one
    joins them and finishes the job. A job sent again (``jobs_rescue_lost``) plans anew under a new
    token: chunks of its old plan neither count nor join (``run_chunk``).
    """
    tenant = Tenant.objects.get(pk=job.tenant_id)
    plan = computation.plan(tenant, **params)
    if len(plan.ranges) <= 1:
        outcome = computation.in_place(tenant, plan, progress=lambda f: job_set_progress(job, f))
        return computation.result(tenant, outcome)
    return fan_out(job, computation, plan)


def fan_out(job: Job, computation: Computation, plan: Plan):
    """Send one ``computation_chunk`` task per range of ``plan`` (any worker takes one) and record
    how many the job waits for; the job goes on in them (``CONTINUES``)."""
    job_fan_out(job, len(plan.ranges), token=plan.token)
    group(
        computation_chunk.s(
            tenant_id=job.tenant_id,
            job_id=job.pk,
            computation=computation.name,
            plan=plan.as_json(),
            index=index,
        )
        for index in range(len(plan.ranges))
    ).apply_async()
    return CONTINUES


@shared_task(base=TenantTask, name="jobs.computation_chunk")
def computation_chunk(*, tenant_id: int, job_id: int, computation: str, plan: dict, index: int):
    """One range of a fanned-out computation (``fan_out``), measured and kept; the range that
    completes the count joins them all and finishes the job (``run_chunk``)."""
    declared = computation_named(computation)
    plan = declared.plan_class.from_json(plan)
    tenant = Tenant.objects.get(pk=tenant_id)
    run_chunk(
        job_id=job_id,
        token=plan.token,
        name=declared.label,
        compute=lambda: chunk_measure(declared, tenant, plan, index),
        join=lambda: chunks_join(declared, tenant, plan),
        result=lambda outcome: declared.result(tenant, outcome),
    )

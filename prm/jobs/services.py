"""Starting jobs and recording how they go."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from prm.files import storage
from prm.ops import metrics

from .models import Job, JobStatus

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The broker could not take the job: it is marked failed; ask again in ``retry_after`` seconds."""

    retry_after = 30

    def __init__(self, job):
        super().__init__(job.error)
        self.job = job


#: What a broker that is down raises when a task is sent (kombu wraps its transport's errors;
#: redis-py's own are not ``OSError``).
BROKER_DOWN = (OperationalError, ConnectionError, OSError, RedisConnectionError, RedisTimeoutError)


def broker_down(exc: BaseException) -> bool:
    """True when ``exc``, or what it was raised from, says the job queue (Redis) cannot be reached.

    Celery's result store gives up with a bare ``RuntimeError`` ("Retry limit exceeded ... must be
    restarted") raised from the connection error, e.g. when a web process that has never reached
    Redis sends its first task while Redis restarts.
    """
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, BROKER_DOWN):
            return True
        seen.add(id(exc))
        exc = exc.__cause__
    return False


def job_send(job: Job, task=None) -> bool:
    """Hand the job's task to the queue and record when (``sent_at``); False when the queue could
    not be reached (logged; the job is left as it was). Any other error is raised."""
    if task is None:
        task = current_app.tasks[job.task_name]
    try:
        task.apply_async(kwargs={"tenant_id": job.tenant_id, "job_id": job.pk, **job.params})
    except Exception as exc:
        if not broker_down(exc):
            raise
        logger.warning(
            "job %s (%s) could not be sent: the job queue is unreachable (%s)", job.pk, job.kind, exc
        )
        return False
    now = timezone.now()
    Job.objects.for_tenant(job.tenant_id).filter(pk=job.pk).update(sent_at=now)
    job.sent_at = now
    return True


def job_start(*, tenant, kind: str, task, requested_by=None, params: dict | None = None) -> Job:
    """Create a queued Job and send ``task`` for it once the transaction commits.

    The task receives ``tenant_id`` and ``job_id`` plus ``params`` as keyword
    arguments. Without a broker (the demo) it runs eagerly at commit.

    If the broker cannot be reached the job never stays queued: it is marked
    failed with the reason, and, when the send happened here (no transaction
    around the call), ``QueueUnavailable`` tells the caller to answer 503. The
    settings bound how long that takes (a few seconds, also in a process that
    has never reached Redis). A job whose send never happened at all (the
    process stopped between the commit and the send) stays queued without
    ``sent_at``, and ``jobs_rescue_lost`` sends it.
    """
    params = params or {}
    job = Job.objects.for_tenant(tenant).create(
        tenant=tenant, kind=kind, requested_by=requested_by, params=params, task_name=task.name
    )
    unsent = []

    def send():
        if not job_send(job, task):
            job_mark_failed(
                job, _("The job queue could not be reached; nothing was done. Try again shortly.")
            )
            unsent.append(job)

    transaction.on_commit(send)
    if unsent:
        raise QueueUnavailable(job)
    return job


def job_mark_running(job: Job) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1, error=""
    )
    job.status, job.started_at, job.heartbeat_at = JobStatus.RUNNING, now, now
    metrics.job_event(job, "started")


def job_set_progress(job: Job, fraction: float) -> None:
    """Record progress 0-1; called by tasks between chunks (one UPDATE)."""
    fraction = max(0.0, min(1.0, float(fraction)))
    Job.objects.filter(pk=job.pk).update(progress=fraction, heartbeat_at=timezone.now())
    job.progress = fraction


def job_fan_out(job: Job, total: int, **params) -> None:
    """Record that the job goes on as ``total`` chunk tasks (counted done by ``job_chunk_done``)."""
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(params={**job.params, **params, "total": total, "done": 0})


def job_chunk_done(job_id: int, share: float = 0.9, token: str | None = None) -> Job | None:
    """One more chunk of a fanned-out job done, counted under a row lock (any worker may finish one).

    The job beats and shows ``share`` of its progress spread over its chunks (what is left is the
    join's). Returns the job when this chunk completed the count: the caller joins the chunks and
    finishes it. None when chunks remain, or the job is finished already (another chunk failed, or
    a message came again after the join), or the chunk is of another plan than the job's (``token``:
    a job sent again by ``jobs_rescue_lost`` planned anew, and its old chunks count for nothing).
    """
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.is_finished or (token is not None and job.params.get("token") != token):
            return None
        done = job.params.get("done", 0) + 1
        job.params = {**job.params, "done": done}
        job.progress, job.heartbeat_at = share * done / job.params["total"], timezone.now()  # alive: not lost
        job.save(update_fields=["params", "progress", "heartbeat_at"])
    return job if done == job.params["total"] else None


def job_mark_succeeded(job: Job, result) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, progress=1.0, result=result, finished_at=now
    )
    job.status, job.progress, job.result, job.finished_at = JobStatus.SUCCEEDED, 1.0, result, now
    metrics.job_event(job, "succeeded")


def job_mark_failed(job: Job, error: str) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=error, finished_at=now)
    job.status, job.error, job.finished_at = JobStatus.FAILED, error, now
    metrics.job_event(job, "failed")


def job_files_purge(*, tenant, before) -> int:
    """Delete the files of the tenant's jobs that finished before ``before``; the rows stay.

    Their result then says the file expired, and its download answers 404.
    """
    purged = 0
    old = Job.objects.for_tenant(tenant).filter(finished_at__lt=before, result__has_key="file")
    for job in old.exclude(result__file=None).only("pk", "result"):
        storage().delete(job.result["file"])
        Job.objects.for_tenant(tenant).filter(pk=job.pk).update(
            result={**job.result, "file": None, "url": None, "expired": True}
        )
        purged += 1
    return purged


def job_beat(job_id: int) -> None:
    """A sign of life from the worker running the job."""
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())


def jobs_rescue_lost(*, tenant, now=None) -> dict:
    """Jobs whose worker stopped beating, or whose task never reached the queue: sent again (tasks
    are idempotent), or given up.

    A running job is lost when its heartbeat is older than
    ``PRM_JOB_LOST_AFTER_SECONDS``. It is queued and sent again while it has
    had fewer than ``PRM_JOB_MAX_ATTEMPTS`` attempts, otherwise it fails with
    the reason.

    A queued job that was never sent (no ``sent_at``: the web process stopped
    between the commit and the send, or the send failed in a way not taken for
    the queue being down) is sent once it is ``PRM_JOB_UNSENT_AFTER_SECONDS``
    old; if the queue still cannot be reached it stays queued for the next
    sweep, and once it is ``PRM_JOB_UNSENT_GIVE_UP_SECONDS`` old it fails with
    the reason instead (whoever started it may have started it again since).

    Returns how many were sent again (``retried``) and given up (``failed``).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.PRM_JOB_LOST_AFTER_SECONDS)
    lost = Job.objects.for_tenant(tenant).filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff)
    retried = failed = 0
    for job in lost:
        if job.attempts >= settings.PRM_JOB_MAX_ATTEMPTS or job.task_name not in current_app.tasks:
            job_mark_failed(
                job,
                _("The worker running this job stopped %(n)d times; the job was given up. Start it again.")
                % {"n": job.attempts},
            )
            failed += 1
            continue
        Job.objects.for_tenant(tenant).filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.QUEUED, heartbeat_at=None, error=_("Retrying after a lost worker.")
        )
        if not job_send(job):
            job_mark_failed(job, _("The job's worker was lost and the job queue could not be reached."))
            failed += 1
            continue
        retried += 1
    unsent = Job.objects.for_tenant(tenant).filter(
        status=JobStatus.QUEUED,
        sent_at__isnull=True,
        created_at__lt=now - timedelta(seconds=settings.PRM_JOB_UNSENT_AFTER_SECONDS),
    )
    give_up_before = now - timedelta(seconds=settings.PRM_JOB_UNSENT_GIVE_UP_SECONDS)
    for job in unsent.order_by("created_at", "id"):
        if job.created_at < give_up_before or job.task_name not in current_app.tasks:
            job_mark_failed(
                job,
                _("The job could not be handed to the job queue in time; nothing was done. Start it again."),
            )
            failed += 1
        elif job_send(job):
            retried += 1
        else:  # the queue is still unreachable: the next sweep tries again
            break
    return {"retried": retried, "failed": failed}

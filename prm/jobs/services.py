"""Starting jobs and recording how they go."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Job, JobStatus


def job_start(*, tenant, kind: str, task, requested_by=None, params: dict | None = None) -> Job:
    """Create a queued Job and send ``task`` for it once the transaction commits.

    The task receives ``tenant_id`` and ``job_id`` plus ``params`` as keyword
    arguments. Without a broker (the demo) it runs eagerly at commit.
    """
    params = params or {}
    job = Job.objects.for_tenant(tenant).create(
        tenant=tenant, kind=kind, requested_by=requested_by, params=params
    )
    transaction.on_commit(
        lambda: task.apply_async(kwargs={"tenant_id": tenant.pk, "job_id": job.pk, **params})
    )
    return job


def job_mark_running(job: Job) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=now, attempts=F("attempts") + 1, error=""
    )
    job.status, job.started_at = JobStatus.RUNNING, now


def job_set_progress(job: Job, fraction: float) -> None:
    """Record progress 0-1; called by tasks between chunks (one UPDATE)."""
    fraction = max(0.0, min(1.0, float(fraction)))
    Job.objects.filter(pk=job.pk).update(progress=fraction)
    job.progress = fraction


def job_mark_succeeded(job: Job, result) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, progress=1.0, result=result, finished_at=now
    )
    job.status, job.progress, job.result, job.finished_at = JobStatus.SUCCEEDED, 1.0, result, now


def job_mark_failed(job: Job, error: str) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=error, finished_at=now)
    job.status, job.error, job.finished_at = JobStatus.FAILED, error, now


def job_files_purge(*, tenant, before) -> int:
    """Delete the files of the tenant's jobs that finished before ``before``; the rows stay.

    Their result then says the file expired, and its download answers 404.
    """
    from prm.files import storage

    purged = 0
    old = Job.objects.for_tenant(tenant).filter(finished_at__lt=before, result__has_key="file")
    for job in old.exclude(result__file=None).only("pk", "result"):
        storage().delete(job.result["file"])
        Job.objects.for_tenant(tenant).filter(pk=job.pk).update(
            result={**job.result, "file": None, "url": None, "expired": True}
        )
        purged += 1
    return purged

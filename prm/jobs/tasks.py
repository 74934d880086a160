"""The base classes every Celery task of the project uses.

``TenantTask`` enters the task's tenant scope (tasks take ``tenant_id``, never
ambient state). ``JobTask`` also tracks a ``Job`` row: running, progress,
succeeded with a result, or failed with the error. Transient database and
broker errors are retried with exponential backoff; the backoff stays below
the soft time limit, which stays below the broker's visibility timeout.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from celery.exceptions import Retry
from django.db import InterfaceError, OperationalError

from prm.tenancy.context import tenant_context

from .models import Job
from .services import job_mark_failed, job_mark_running, job_mark_succeeded

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
            job_mark_running(job)
            try:
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

    from prm.tenancy.models import Tenant

    from .services import job_files_purge

    before = timezone.now() - timedelta(days=settings.PRM_GENERATED_FILES_DAYS)
    purged = 0
    for tenant in Tenant.objects.all():
        with tenant_context(tenant):
            purged += job_files_purge(tenant=tenant, before=before)
    return {"purged": purged}

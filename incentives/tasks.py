"""Background work of incentives/: computing a payout run, its ranges of partners on several workers.

``compute_run`` plans the run and sends one ``compute_chunk`` task per range of partners (any
worker may take one); each chunk counts itself done under a row lock on the job, and the chunk
that completes the count joins the chunks into the run in one transaction and finishes the job
(the same pattern as the scorecard PDF batch). A run of one range is computed in place.
"""

import logging
from dataclasses import asdict

from celery import group, shared_task
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from prm.jobs.models import Job
from prm.jobs.services import job_mark_failed, job_mark_succeeded, job_set_progress
from prm.jobs.tasks import CONTINUES, JobTask, TenantTask
from prm.tenancy.models import Tenant

from .services.runs import RunPlan, payout_chunk_compute, payout_run_compute, payout_run_join, payout_run_plan

logger = logging.getLogger(__name__)


@shared_task(base=JobTask, name="incentives.compute_run")
def compute_run(job, period, **params):
    tenant = Tenant.objects.get(pk=job.tenant_id)
    plan = payout_run_plan(tenant=tenant, period=period)
    if len(plan.ranges) <= 1:
        run = payout_run_compute(tenant=tenant, period=period, progress=lambda f: job_set_progress(job, f))
        return _result(tenant, run)
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            params={**job.params, "total": len(plan.ranges), "done": 0, "token": plan.token}
        )
    group(
        compute_chunk.s(tenant_id=job.tenant_id, job_id=job.pk, plan=asdict(plan), index=index)
        for index in range(len(plan.ranges))
    ).apply_async()
    return CONTINUES


@shared_task(base=TenantTask, name="incentives.compute_chunk")
def compute_chunk(*, tenant_id, job_id, plan, index):
    """One range of partners of a planned run; the last range done joins the run."""
    plan = RunPlan(**{**plan, "ranges": [tuple(r) for r in plan["ranges"]]})
    job = Job.objects.get(pk=job_id)
    if job.is_finished:  # another range failed, or the message came again after the join
        return
    tenant = Tenant.objects.get(pk=tenant_id)
    try:
        payout_chunk_compute(tenant=tenant, plan=plan, index=index)
    except ValidationError as exc:  # a missing exchange rate: the run is not computed
        job_mark_failed(job, " ".join(exc.messages))
        return
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.is_finished:
            return
        done = job.params.get("done", 0) + 1
        job.params = {**job.params, "done": done}
        job.progress, job.heartbeat_at = 0.9 * done / job.params["total"], timezone.now()  # alive: not lost
        job.save(update_fields=["params", "progress", "heartbeat_at"])
    if done < job.params["total"]:
        return
    try:  # the last range done: the run lands whole, in one transaction
        run = payout_run_join(tenant=tenant, plan=plan)
    except Exception as exc:
        logger.exception("payout run join of job %s failed", job.pk)
        job_mark_failed(
            job,
            " ".join(exc.messages) if isinstance(exc, ValidationError) else f"{type(exc).__name__}: {exc}",
        )
        return
    job_mark_succeeded(job, _result(tenant, run))


def _result(tenant, run) -> dict:
    return {
        "run": run.pk, "period": run.period, "total": str(run.total), "warnings": len(run.warnings),
        "url": reverse("incentives:run", kwargs={"tenant": tenant.slug, "pk": run.pk}),
    }  # fmt: skip

"""Background work of incentives/: computing a payout run, its ranges of partners on several workers.

``compute_run`` plans the run and sends one ``compute_chunk`` task per range of partners (any
worker may take one); each chunk counts itself done under a row lock on the job, and the chunk
that completes the count joins the chunks into the run in one transaction and finishes the job
(the same pattern as the scorecard PDF batch). A run of one range is computed in place.
"""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.urls import reverse

from prm.jobs.models import Job
from prm.jobs.services import (
    job_chunk_done,
    job_mark_failed,
    job_mark_succeeded,
    job_set_progress,
)
from prm.jobs.tasks import JobTask, TenantTask, fan_out, planned
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
    return fan_out(job, compute_chunk, plan)


@shared_task(base=TenantTask, name="incentives.compute_chunk")
def compute_chunk(*, tenant_id, job_id, plan, index):
    """One range of partners of a planned run; the last range done joins the run."""
    plan = planned(RunPlan, plan)
    job = Job.objects.get(pk=job_id)
    if job.is_finished:  # another range failed, or the message came again after the join
        return
    tenant = Tenant.objects.get(pk=tenant_id)
    try:
        payout_chunk_compute(tenant=tenant, plan=plan, index=index)
    except ValidationError as exc:  # a missing exchange rate: the run is not computed
        job_mark_failed(job, " ".join(exc.messages))
        return
    job = job_chunk_done(job_id)
    if job is None:
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

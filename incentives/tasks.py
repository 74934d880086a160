"""Background work of incentives/: computing a payout run, its ranges of partners on several workers.

``compute_run`` plans the run and sends one ``compute_chunk`` task per range of partners (any
worker may take one); each chunk counts itself done under a row lock on the job, and the chunk
that completes the count joins the chunks into the run in one transaction and finishes the job
(the same pattern as the scorecard PDF batch). A run of one range is computed in place.
"""

from celery import shared_task
from django.urls import reverse

from prm.jobs.services import job_set_progress
from prm.jobs.tasks import JobTask, TenantTask, fan_out, planned, run_chunk
from prm.tenancy.models import Tenant

from .services.runs import RunPlan, payout_chunk_compute, payout_run_compute, payout_run_join, payout_run_plan


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
    """One range of partners of a planned run; the last range done joins the run. (A missing
    exchange rate fails the job in its own words: the run is not computed.)"""
    plan = planned(RunPlan, plan)
    tenant = Tenant.objects.get(pk=tenant_id)
    run_chunk(
        job_id=job_id,
        token=plan.token,
        name="payout run",
        compute=lambda: payout_chunk_compute(tenant=tenant, plan=plan, index=index),
        join=lambda: payout_run_join(tenant=tenant, plan=plan),
        result=lambda run: _result(tenant, run),
    )


def _result(tenant, run) -> dict:
    return {
        "run": run.pk,
        "period": run.period,
        "total": str(run.total),
        "warnings": run.summary["warnings_count"],
        "url": reverse("incentives:run", kwargs={"tenant": tenant.slug, "pk": run.pk}),
    }

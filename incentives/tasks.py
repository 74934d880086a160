"""Background work of incentives/: computing a payout run."""

from celery import shared_task

from prm.jobs.services import job_set_progress
from prm.jobs.tasks import JobTask
from prm.tenancy.models import Tenant

from .services.runs import payout_run_compute


@shared_task(base=JobTask, name="incentives.compute_run")
def compute_run(job, period, **params):
    tenant = Tenant.objects.get(pk=job.tenant_id)
    run = payout_run_compute(tenant=tenant, period=period, progress=lambda f: job_set_progress(job, f))
    from django.urls import reverse

    return {
        "run": run.pk, "period": run.period, "total": str(run.total), "warnings": len(run.warnings),
        "url": reverse("incentives:run", kwargs={"tenant": tenant.slug, "pk": run.pk}),
    }  # fmt: skip

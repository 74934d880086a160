"""Background work of partners/: tier recomputation and expiring deal protections."""

from celery import shared_task

from prm.jobs.services import job_set_progress
from prm.jobs.tasks import JobTask
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant

from .services.deals import deals_expire
from .services.tiers import tiers_recompute


@shared_task(base=JobTask, name="partners.recompute_tiers")
def recompute_tiers(job, **params):
    tenant = Tenant.objects.get(pk=job.tenant_id)
    return tiers_recompute(tenant=tenant, progress=lambda f: job_set_progress(job, f))


@shared_task(name="partners.nightly")
def nightly():
    """Beat: for every tenant, expire lapsed deal protections and recompute tiers."""
    tenant_ids = list(Tenant.objects.values_list("pk", flat=True))
    for tenant_id in tenant_ids:
        with tenant_context(tenant_id):
            tenant = Tenant.objects.get(pk=tenant_id)
            deals_expire(tenant=tenant)
            tiers_recompute(tenant=tenant)

"""Background work of partners/: tier recomputation and expiring deal protections."""

import logging

from celery import shared_task

from prm.jobs.services import job_set_progress
from prm.jobs.tasks import JobTask
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant

from .services.deals import deals_expire
from .services.tiers import tiers_recompute

logger = logging.getLogger(__name__)


@shared_task(base=JobTask, name="partners.recompute_tiers")
def recompute_tiers(job, **params):
    tenant = Tenant.objects.get(pk=job.tenant_id)
    return tiers_recompute(tenant=tenant, progress=lambda f: job_set_progress(job, f))


@shared_task(name="partners.nightly")
def nightly():
    """Beat: for every tenant, expire lapsed deal protections and recompute tiers."""
    failed = []
    for tenant in Tenant.objects.all():
        try:
            with tenant_context(tenant):
                deals_expire(tenant=tenant)
                tiers_recompute(tenant=tenant)
        except Exception:  # one tenant's trouble must not stop the others
            logger.exception("nightly partners job failed for tenant %s", tenant.slug)
            failed.append(tenant.slug)
    return {"failed": failed}

"""The daily retention job (beat ``privacy-retention``, ``prm/settings/jobs.py``)."""

from celery import shared_task

from prm.tenancy.fanout import for_each_tenant

from .retention import retention_apply


@shared_task(name="privacy.retention")
def retention():
    """Beat, daily: apply every tenant's retention settings, each tenant in its own scope."""
    return for_each_tenant("privacy.retention", lambda tenant: retention_apply(tenant=tenant))

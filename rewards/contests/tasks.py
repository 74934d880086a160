"""Background work of contests: close the contests whose time to close by themselves has come."""

from celery import shared_task

from prm.tenancy.fanout import for_each_tenant

from .services import contests_close_due


@shared_task(name="contests.close_due")
def close_due():
    """Beat, daily: close every open contest ``auto_close_days`` after its end and award its prizes."""
    return for_each_tenant("contests.close_due", lambda tenant: {"closed": contests_close_due(tenant=tenant)})

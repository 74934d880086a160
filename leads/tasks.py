"""Background work of leads/: offers not answered in time pass to the next partner."""

from celery import shared_task

from prm.tenancy.fanout import for_each_tenant

from .services.distribution import leads_expire


@shared_task(name="leads.expire_offers")
def expire_offers():
    """Beat, every 15 minutes: expire unanswered offers and offer those leads to the next partner."""
    return for_each_tenant("leads.expire_offers", lambda tenant: {"expired": leads_expire(tenant=tenant)})

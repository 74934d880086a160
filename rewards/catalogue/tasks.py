"""Background work of the catalogue: the daily points expiry and its warnings."""

from celery import shared_task

from prm.tenancy.fanout import for_each_tenant

from .services.expiry import points_expire


@shared_task(name="catalogue.expire_points")
def expire_points():
    """Beat, daily: in every tenant whose points expire, write the expiry rows and warn 30 days before."""
    return for_each_tenant("catalogue.expire_points", lambda tenant: points_expire(tenant=tenant))

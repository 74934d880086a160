"""The hourly sweep that records tokens past their end as expired (audited once each)."""

from celery import shared_task

from . import services


@shared_task(name="apitokens.expire_due")
def expire_due() -> int:
    return services.expire_due()

"""Background work of surveys: the daily customer surveys and their reminders."""

from celery import shared_task

from prm.tenancy.fanout import for_each_tenant

from .services.customer import customer_surveys_send


@shared_task(name="surveys.send_customer_surveys")
def send_customer_surveys():
    """Beat, daily: in every tenant, send the customer surveys due and remind the unanswered once."""
    return for_each_tenant(
        "surveys.send_customer_surveys", lambda tenant: customer_surveys_send(tenant=tenant)
    )

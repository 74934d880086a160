"""Delivering e-mail: the one task every outgoing message goes through (see ``mail.py``)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection

from .mail import message_from_json

#: Retries with backoff 30 s, 60 s, 120 s ... capped at an hour: about six hours in all.
MAX_RETRIES = 10


@shared_task(
    name="notifications.deliver_email",
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
)
def deliver_email(data: dict) -> int:
    with get_connection(settings.PRM_EMAIL_DELIVERY_BACKEND, fail_silently=False) as connection:
        return connection.send_messages([message_from_json(data)])


@shared_task(name="notifications.send_unsent")
def send_unsent() -> dict:
    """Beat, every minute: e-mails kept while the job queue could not be reached are queued now."""
    from .mail import unsent_send

    return unsent_send()

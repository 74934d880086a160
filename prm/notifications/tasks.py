"""The notifications' tasks: ``deliver_email`` (in ``delivery``), the one task every outgoing
message goes through, and the beat that queues the e-mails kept while the queue was down."""

from celery import shared_task

from .delivery import MAX_RETRIES, deliver_email
from .mail import unsent_send

#: the worker finds the tasks of this app here (Celery's autodiscovery imports ``tasks``)
__all__ = ["MAX_RETRIES", "deliver_email", "send_unsent"]


@shared_task(name="notifications.send_unsent")
def send_unsent() -> dict:
    """Beat, every minute: e-mails kept while the job queue could not be reached are queued now."""
    return unsent_send()

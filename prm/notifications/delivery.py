"""How an e-mail travels: as JSON, through the ``notifications.deliver_email`` task, which sends it
with the real backend (``PRM_EMAIL_DELIVERY_BACKEND``) and retries with backoff.

The lowest of the mail modules but ``store``: ``mail`` (Django's backend, which queues every message
here, and the e-mails kept while the queue is down) imports it, and ``tasks`` (the beat) imports both.

The JSON carries the tenant in scope when the message was queued (``tenant``) and the sender's
``kind`` (a notification category, from the message's ``prm_kind``): the mail store
(``store.py``) files the message under them. Neither travels as a header.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.utils.module_loading import import_string

from prm.tenancy.context import current_tenant_id

from .store import StoredEmailBackend, store_messages

logger = logging.getLogger(__name__)

#: Retries with backoff 30 s, 60 s, 120 s ... capped at an hour: about six hours in all.
MAX_RETRIES = 10


def message_to_json(message: EmailMessage) -> dict:
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "tenant": getattr(message, "prm_tenant_id", None) or current_tenant_id(),
        "kind": getattr(message, "prm_kind", "") or "",
    }


def message_from_json(data: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    message.prm_tenant_id = data.get("tenant")
    message.prm_kind = data.get("kind", "")
    return message


def keeps_copies() -> bool:
    """Whether a delivered message is also kept in the mail store: ``PRM_EMAIL_STORE`` on, and the
    delivery backend is not the store itself (which keeps it already)."""
    backend = import_string(settings.PRM_EMAIL_DELIVERY_BACKEND)
    return settings.PRM_EMAIL_STORE and not issubclass(backend, StoredEmailBackend)


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
    message = message_from_json(data)
    with get_connection(settings.PRM_EMAIL_DELIVERY_BACKEND, fail_silently=False) as connection:
        sent = connection.send_messages([message])
    if keeps_copies():  # after the send, and never failing it: a retry would send the message again
        try:
            store_messages([message])
        except Exception:
            logger.exception("e-mail %r was sent but its copy could not be kept", data["subject"])
    return sent

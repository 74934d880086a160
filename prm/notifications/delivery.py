"""How an e-mail travels: as JSON, through the ``notifications.deliver_email`` task, which sends it
with the real backend (``PRM_EMAIL_DELIVERY_BACKEND``) and retries with backoff.

The lowest of the mail modules: ``mail`` (Django's backend, which queues every message here, and
the e-mails kept while the queue is down) imports it, and ``tasks`` (the beat) imports both.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection

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
    return message


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

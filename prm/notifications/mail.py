"""Outgoing e-mail leaves through Celery, after the commit, never inside a request.

``QueuedEmailBackend`` is Django's ``EMAIL_BACKEND``: every message (an
invitation, a notification, a password reset) is turned into JSON and handed
to the ``notifications.deliver_email`` task once the transaction that made it
commits. The task sends it with the real backend
(``PRM_EMAIL_DELIVERY_BACKEND``: SMTP from ``EMAIL_URL``, or the console in
the demo) and retries with exponential backoff, so an SMTP outage delays
mail but never fails an approval, an application or an invitation. If even
queueing fails (the broker is down), the message is logged and dropped: the
user's action stands.
"""

from __future__ import annotations

import logging
from functools import partial

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

logger = logging.getLogger(__name__)


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


def _queue(data: dict) -> None:
    from .tasks import deliver_email

    try:
        deliver_email.delay(data)
    except Exception:  # the broker is down, or (eagerly) delivery gave up: the action stands
        logger.exception("e-mail %r to %s could not be queued or delivered", data["subject"], data["to"])


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            transaction.on_commit(partial(_queue, message_to_json(message)), robust=True)
            count += 1
        return count

"""Outgoing e-mail leaves through Celery, after the commit, never inside a request.

``QueuedEmailBackend`` is Django's ``EMAIL_BACKEND``: every message (an
invitation, a notification, a password reset) is turned into JSON and handed
to the ``notifications.deliver_email`` task (``delivery``) once the transaction
that made it commits. The task sends it with the real backend
(``PRM_EMAIL_DELIVERY_BACKEND``: SMTP from ``EMAIL_URL``, or the console in
the demo) and retries with exponential backoff, so an SMTP outage delays
mail but never fails an approval, an application or an invitation. If even
queueing fails because the job queue (Redis) cannot be reached, the user's
action stands and the message is kept (``UnsentEmail``): the beat task
``notifications.send_unsent`` hands it to the queue once Redis is back
(``unsent_send``). Any other failure to queue is logged and the message dropped.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from prm.jobs.services import broker_down

from .delivery import deliver_email, message_to_json
from .models import UnsentEmail

logger = logging.getLogger(__name__)


def _queue(data: dict) -> None:
    try:
        deliver_email.delay(data)
    except Exception as exc:  # the broker is down, or (eagerly) delivery gave up: the action stands
        if not deliver_email.app.conf.task_always_eager and broker_down(exc):
            UnsentEmail.objects.create(message=data)
            logger.warning(
                "e-mail %r to %s kept until the job queue can be reached", data["subject"], data["to"]
            )
            return
        logger.exception("e-mail %r to %s could not be queued or delivered", data["subject"], data["to"])


def unsent_send(*, now=None) -> dict:
    """Hand the kept e-mails to the queue, oldest first (``sent``), each deleted once queued.

    While the queue still cannot be reached the rest wait for the next run. A message kept longer
    than ``PRM_EMAIL_UNSENT_KEEP_HOURS`` is dropped with a log line (``dropped``): its links may
    have expired, and it is news no more.
    """
    now = now or timezone.now()
    too_old = UnsentEmail.objects.filter(
        created_at__lt=now - timedelta(hours=settings.PRM_EMAIL_UNSENT_KEEP_HOURS)
    )
    for subject, to in too_old.values_list("message__subject", "message__to"):
        logger.error("e-mail %r to %s dropped: the job queue could not be reached in time", subject, to)
    dropped, _by_model = too_old.delete()
    sent = 0
    for pk in UnsentEmail.objects.values_list("pk", flat=True):
        with transaction.atomic():  # a row locked by another run is that run's to send
            kept = UnsentEmail.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if kept is None:
                continue
            try:
                deliver_email.delay(kept.message)
            except Exception as exc:
                if not broker_down(exc):
                    raise
                logger.warning("kept e-mails wait: the job queue still cannot be reached (%s)", exc)
                break
            kept.delete()
            sent += 1
    return {"sent": sent, "dropped": dropped}


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            transaction.on_commit(partial(_queue, message_to_json(message)), robust=True)
            count += 1
        return count

"""The mail store: a copy of every message sent for a tenant, read on the *Sent mail* page.

``StoredEmailBackend`` is a Django e-mail backend that keeps each message as a ``SentEmail`` row of
the message's tenant and sends nothing. The demo delivers with it (``PRM_EMAIL_DELIVERY_BACKEND``
when ``DEBUG``), so seeding prints no e-mails and a visitor reads what partners receive in the
portal; production delivers by SMTP and keeps a copy too when ``PRM_EMAIL_STORE`` is on
(``delivery.deliver_email`` calls ``store_messages``).

A message knows its tenant from ``prm_tenant_id`` (set by ``delivery.message_from_json`` from the
tenant in scope when it was queued) or, sent directly, from the current scope. One without a tenant
(a password reset) is not kept: the page is a tenant's.
"""

from __future__ import annotations

import logging

from django.core.mail.backends.base import BaseEmailBackend

from prm.tenancy.context import current_tenant_id, tenant_context

from .models import SentEmail

logger = logging.getLogger(__name__)

SUBJECT_MAX = SentEmail._meta.get_field("subject").max_length


def _html_of(message) -> str:
    for content, mimetype in getattr(message, "alternatives", None) or []:
        if mimetype == "text/html":
            return str(content)
    return str(message.body) if getattr(message, "content_subtype", "plain") == "html" else ""


def store_messages(email_messages) -> int:
    """Keep each message of a tenant as a ``SentEmail``; returns how many were kept."""
    kept = 0
    for message in email_messages:
        tenant_id = getattr(message, "prm_tenant_id", None) or current_tenant_id()
        if tenant_id is None:
            logger.info("e-mail %r belongs to no tenant: not kept", str(message.subject))
            continue
        html = _html_of(message)
        with tenant_context(tenant_id):
            SentEmail.objects.for_tenant(tenant_id).create(
                tenant_id=tenant_id,
                kind=getattr(message, "prm_kind", "") or "",
                subject=str(message.subject)[:SUBJECT_MAX],
                from_email=message.from_email or "",
                to=[*message.to, *message.cc, *message.bcc],
                text="" if html and message.body == html else str(message.body),
                html=html,
            )
        kept += 1
    return kept


class StoredEmailBackend(BaseEmailBackend):
    """Delivery that keeps: every message of a tenant becomes a row of its *Sent mail*; none leaves."""

    def send_messages(self, email_messages) -> int:
        messages = [m for m in email_messages if m.recipients()]
        store_messages(messages)
        return len(messages)

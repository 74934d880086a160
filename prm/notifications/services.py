"""Sending notifications: after the commit, in the tenant's language, to those who want them."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import NotificationPreference


def _send(*, tenant, kind: str, subject: str, body: str, to: list[str]) -> None:
    """Send now, marked with its tenant and kind for the mail store (``store.py``)."""
    message = EmailMessage(subject=subject, body=body, to=to)
    message.prm_tenant_id, message.prm_kind = tenant.pk, kind
    message.send()


def wanted_by(tenant, users, category: str) -> list:
    users = [u for u in users if u is not None and u.email and u.is_active]
    off = set(
        NotificationPreference.objects.for_tenant(tenant)
        .filter(category=category, enabled=False, user__in=users)
        .values_list("user_id", flat=True)
    )
    return [u for u in users if u.pk not in off]


def notify(*, tenant, users, category: str, subject: str, template: str, context: dict) -> int:
    """E-mail ``users`` about ``category`` once the transaction commits; returns how many will get it."""
    recipients = wanted_by(tenant, list(users), category)
    if not recipients:
        return 0
    with translation.override(tenant.default_language):
        body = render_to_string(template, {**context, "tenant": tenant})
    addresses = sorted({u.email for u in recipients})
    transaction.on_commit(
        lambda: _send(tenant=tenant, kind=category, subject=str(subject), body=body, to=addresses)
    )
    return len(addresses)


def preference_set(*, tenant, user, category: str, enabled: bool) -> None:
    NotificationPreference.objects.for_tenant(tenant).update_or_create(
        tenant=tenant, user=user, category=category, defaults={"enabled": enabled}
    )


def send_to_address(*, tenant, address: str, language: str, subject, template: str, context: dict) -> int:
    """E-mail someone outside the tenant's members (an end customer) in ``language``, after the
    commit. ``subject`` may be a callable, called in that language. Returns 1, or 0 without an address.
    The mail store files it under the template's name (``customer_reminder``) as its kind."""
    if not address:
        return 0
    with translation.override(language or tenant.default_language):
        text = str(subject() if callable(subject) else subject)
        body = render_to_string(template, {**context, "tenant": tenant})
    kind = PurePosixPath(template).stem
    transaction.on_commit(lambda: _send(tenant=tenant, kind=kind, subject=text, body=body, to=[address]))
    return 1

"""An optional error tracker: Sentry, when ``SENTRY_DSN`` is set; off without it (the SDK is
never started).

Errors of web processes, workers and beat are sent with the request id, tenant id and job id as
tags and the user by id only, and nothing personal: ``send_default_pii=False`` (no cookies, no user names or addresses,
no IP addresses), no request bodies, no local variables, and ``scrub`` on every event (errors and
traces alike): keys that name a secret are filtered, the user is reduced to its id, and every text
goes through the logs' ``redact`` (e-mail addresses, API tokens, assigned secrets).
"""

from __future__ import annotations

import sentry_sdk
from django.conf import settings
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

from prm.tenancy.context import current_tenant_id

from . import context
from .logs import redact

FILTERED = "[Filtered]"
#: keys whose values are dropped wherever they are in an event
SECRET_KEYS = (
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "authorization",
    "cookie",
    "csrf",
    "session",
    "email",
    "e_mail",
    "phone",
    "ip_address",
    "x-forwarded-for",
    "x-real-ip",
    "remote_addr",
)


def _secret_key(key) -> bool:
    name = str(key).lower()
    return any(word in name for word in SECRET_KEYS)


def _scrubbed(value, depth=0):
    if depth > 20:
        return FILTERED
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: FILTERED if _secret_key(k) else _scrubbed(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(v, depth + 1) for v in value]
    return value


def scrub(event: dict, hint: dict | None = None) -> dict:
    """``before_send``: the event without personal data or secrets."""
    user = event.get("user") or {}
    event = _scrubbed(event)
    event["user"] = {"id": user["id"]} if user.get("id") is not None else {}
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("cookies", "data", "env"):
            request.pop(key, None)
        request.pop("query_string", None)
    return event


def tag_context(event: dict, hint: dict | None = None) -> dict:
    """The ids of the moment as tags, as on the log lines; then ``scrub``."""
    ctx = context.current()
    tags = event.setdefault("tags", {})
    for name, value in (
        ("request_id", ctx.request_id),
        ("tenant_id", current_tenant_id() or ctx.tenant_id),
        ("job_id", ctx.job_id),
        ("task", ctx.task),
    ):
        if value is not None:
            tags[name] = str(value)
    return scrub(event, hint)


def init_from_settings() -> bool:
    """Start the error tracker when ``SENTRY_DSN`` is set; True when it was started."""
    dsn = getattr(settings, "SENTRY_DSN", "")
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=getattr(settings, "SENTRY_ENVIRONMENT", "production"),
        release=getattr(settings, "SENTRY_RELEASE", None) or None,
        traces_sample_rate=getattr(settings, "SENTRY_TRACES_SAMPLE_RATE", 0.0),
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=tag_context,
        before_send_transaction=scrub,
        before_breadcrumb=lambda crumb, hint: _scrubbed(crumb),
        integrations=[DjangoIntegration(), CeleryIntegration(), LoggingIntegration()],
    )
    return True

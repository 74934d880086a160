"""Registering endpoints and sending deliveries: signed, timed out after 5 s, retried with backoff
for a day; an endpoint whose deliveries keep failing is disabled and the tenant's admins are told."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from datetime import timedelta

import urllib3
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prm.audit.events import audit_record
from prm.notifications import notify
from prm.tenancy.choices import Role
from prm.webhooks.audit_actions import WebhookAudit

from .catalogue import EVENTS
from .models import Delivery, Endpoint, Event
from .net import check_url, port_of, resolve

TIMEOUT_SECONDS = 5
#: of which at most this long to connect
CONNECT_SECONDS = 3
#: retries stop this long after the event; the delivery is then given up
RETRY_FOR = timedelta(days=1)
#: an endpoint is disabled after this many deliveries in a row were given up
DISABLE_AFTER = 5
ANSWER_BYTES = 2048
#: how much of an answer (or an error) is kept and shown
EXCERPT_CHARS = 200


def excerpt(text: str) -> str:
    """The first ``EXCERPT_CHARS`` characters of an answer, control characters dropped (pages and
    the API show it escaped, as text)."""
    return "".join(c for c in text[: EXCERPT_CHARS * 2] if c.isprintable() or c == " ")[:EXCERPT_CHARS]


def _events(events) -> list[str]:
    events = list(dict.fromkeys(events or []))
    unknown = [e for e in events if e != "*" and e not in EVENTS]
    if not events or unknown:
        raise ValidationError(
            {
                "events": [
                    _('Use event names from the list, or ["*"] for all: %(e)s')
                    % {"e": ", ".join(unknown) or "—"}
                ]
            }
        )
    return events


@transaction.atomic
def endpoint_create(
    *, tenant, actor, url: str, events, description: str = "", active: bool = True
) -> Endpoint:
    check_url(url)
    endpoint = Endpoint.objects.for_tenant(tenant).create(
        tenant=tenant,
        url=url,
        events=_events(events),
        description=description,
        active=active,
        secret=f"whsec_{secrets.token_hex(24)}",
    )
    audit_record(
        tenant=tenant, actor=actor, action=WebhookAudit.CREATED, target=endpoint, changes={"url": [None, url]}
    )
    return endpoint


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, actor, **fields) -> Endpoint:
    if "url" in fields:
        check_url(fields["url"])
    if "events" in fields:
        fields["events"] = _events(fields["events"])
    changes = {k: [getattr(endpoint, k), v] for k, v in fields.items() if getattr(endpoint, k) != v}
    for name, (_before, after) in changes.items():
        setattr(endpoint, name, after)
    if fields.get("active"):
        endpoint.disabled_reason = ""
    endpoint.save()
    if changes:
        audit_record(
            tenant=endpoint.tenant, actor=actor, action=WebhookAudit.CHANGED, target=endpoint, changes=changes
        )
    return endpoint


def ping(*, endpoint: Endpoint) -> Delivery:
    """A ``ping`` event to this endpoint only, sent now (whatever it subscribes to)."""
    with transaction.atomic():
        event = Event.objects.for_tenant(endpoint.tenant_id).create(
            tenant_id=endpoint.tenant_id, name="ping", data={"endpoint": endpoint.pk}
        )
        delivery = Delivery.objects.for_tenant(endpoint.tenant_id).create(
            tenant_id=endpoint.tenant_id, endpoint=endpoint, event=event, next_attempt_at=timezone.now()
        )
    return attempt(endpoint.tenant_id, delivery.pk)


def redeliver(*, delivery: Delivery) -> Delivery:
    """Send a delivery again now (a given-up or delivered one too); the body and its ``id`` are the same."""
    Delivery.objects.for_tenant(delivery.tenant_id).filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING, next_attempt_at=timezone.now()
    )
    return attempt(delivery.tenant_id, delivery.pk)


def body_of(event: Event, tenant_slug: str) -> bytes:
    return json.dumps(
        {
            "id": str(event.uid),
            "event": event.name,
            "tenant": tenant_slug,
            "created_at": event.created_at.isoformat(),
            "sequence": event.pk,  # rises in the order events were recorded (see events.py)
            "data": event.data,
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`` (the ``PRM-Signature`` header)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … doubling, at most an hour apart."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def attempt(tenant_id: int, delivery_id: int) -> Delivery | None:
    """Send one pending delivery (locked, so a task and the beat never send it twice at once)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.for_tenant(tenant_id)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint", "event", "tenant")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None
        _send(delivery)
        delivery.save()
    if delivery.status == Delivery.Status.FAILED:
        _maybe_disable(delivery.endpoint)
    return delivery


def _send(delivery: Delivery) -> None:
    endpoint, event = delivery.endpoint, delivery.event
    body = body_of(event, delivery.tenant.slug)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "PRM-Webhooks/1",
        "PRM-Signature": signature(endpoint.secret, int(time.time()), body),
        "PRM-Event": event.name,
        "PRM-Event-Id": str(event.uid),
    }
    delivery.attempts += 1
    started = time.monotonic()
    try:
        answer = _post(endpoint.url, body, headers)
        delivery.status_code = answer.status
        delivery.response = excerpt(answer.read(ANSWER_BYTES, decode_content=True).decode("utf-8", "replace"))
        answer.release_conn()
        ok = 200 <= answer.status < 300
    except ValidationError as exc:
        delivery.status_code, delivery.response, ok = None, excerpt(" ".join(exc.messages)), False
    except urllib3.exceptions.HTTPError as exc:
        delivery.status_code, delivery.response, ok = None, excerpt(f"{type(exc).__name__}: {exc}"), False
    delivery.duration_ms = int((time.monotonic() - started) * 1000)
    now = timezone.now()
    if ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            Delivery.Status.SUCCEEDED,
            now,
            None,
        )
    elif now + backoff(delivery.attempts) > event.created_at + RETRY_FOR and event.name != "ping":
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
    elif event.name == "ping":
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None  # a ping is not retried
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)


def _post(url: str, body: bytes, headers: dict):
    """POST to the address the URL's host resolved to when it was checked (pinned: the name is not
    resolved again), with the URL's host in ``Host`` and, for https, in SNI and the certificate check."""
    parts, addresses = resolve(url)
    address, port = str(addresses[0]), port_of(parts)
    options = {
        "maxsize": 1,
        "retries": False,
        "timeout": urllib3.Timeout(connect=CONNECT_SECONDS, total=TIMEOUT_SECONDS),
    }
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, port, server_hostname=parts.hostname, assert_hostname=parts.hostname, **options
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **options)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return pool.urlopen(
        "POST",
        path,
        body=body,
        headers={**headers, "Host": parts.netloc.rpartition("@")[2]},
        redirect=False,
        assert_same_host=False,
        preload_content=False,
    )


def _maybe_disable(endpoint: Endpoint) -> None:
    last = list(
        Delivery.objects.for_tenant(endpoint.tenant_id)
        .filter(endpoint=endpoint)
        .exclude(status=Delivery.Status.PENDING)
        .exclude(event__name="ping")
        .order_by("-id")
        .values_list("status", flat=True)[:DISABLE_AFTER]
    )
    if len(last) < DISABLE_AFTER or any(s != Delivery.Status.FAILED for s in last):
        return
    Endpoint.objects.for_tenant(endpoint.tenant_id).filter(pk=endpoint.pk).update(
        active=False,
        disabled_reason=_("Disabled after %(n)d deliveries in a row failed for a day.")
        % {"n": DISABLE_AFTER},
    )
    admins = get_user_model().objects.filter(
        memberships__tenant_id=endpoint.tenant_id,
        memberships__role=Role.ADMIN,
        memberships__is_active=True,
        is_active=True,
    )
    with transaction.atomic():
        notify(
            tenant=endpoint.tenant,
            users=admins,
            category="webhooks",
            subject=_("A webhook endpoint was disabled: %(u)s") % {"u": endpoint.url},
            template="notifications/webhook_disabled.txt",
            context={"endpoint": endpoint},
        )


def due_by_endpoint(tenant, now=None) -> list[list[int]]:
    """The tenant's pending deliveries whose time has come (their ids), one list per endpoint, each
    oldest first; the endpoint with the oldest delivery first."""
    queues: dict[int, list[int]] = {}
    for pk, endpoint_id in (
        Delivery.objects.for_tenant(tenant)
        .filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now or timezone.now())
        .order_by("id")
        .values_list("id", "endpoint_id")[:1000]
    ):
        queues.setdefault(endpoint_id, []).append(pk)
    return list(queues.values())

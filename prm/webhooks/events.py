"""``emit``: record that an event (of ``catalogue.EVENTS``) happened; call it inside the service's transaction.

``emit`` writes the event and one pending delivery per subscribed endpoint in the same transaction
as the change (an outbox): a change that rolls back sends nothing, and a change that commits is
sent after commit by a worker — or, if no worker or broker was there, by the ``webhooks.retry_due``
beat a minute later. Receivers dedupe by the event's ``id``.

Order: an event's data is the object as it is when ``emit`` is called (the end of the move it
tells of), and its ``sequence`` (the event row's id) rises in the order events were recorded; for
one object that is the order its changes committed (a move holds the object's row lock). The
deliveries one transaction recorded leave together, once it commits, in that order: one task per
tenant sends them one after the other (a delivery that fails and is retried later may arrive after
a later one; receivers that need the order sort by ``sequence``).
"""

from __future__ import annotations

import json
import logging

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .catalogue import EVENTS
from .models import Delivery, Endpoint, Event
from .tasks import deliver

logger = logging.getLogger(__name__)


def emit(*, tenant, name: str, data) -> int:
    """Record that ``name`` happened with ``data`` (the object as the API shows it; a callable is
    called now, and only when an endpoint listens); returns how many deliveries were made."""
    return emit_many(tenant=tenant, name=name, items=lambda: [data() if callable(data) else data])


def emit_many(*, tenant, name: str, items) -> int:
    """One event per item (e.g. every tier that a recompute changed), in a fixed number of queries.
    ``items`` may be a callable, called only when an endpoint listens for ``name``."""
    assert name in EVENTS, name
    tenant_id = getattr(tenant, "pk", tenant)
    endpoints = [e for e in Endpoint.objects.for_tenant(tenant_id).filter(active=True) if e.wants(name)]
    if not endpoints:
        return 0
    items = items() if callable(items) else items
    if not items:
        return 0
    now = timezone.now()
    events = Event.objects.for_tenant(tenant_id).bulk_create(
        [Event(tenant_id=tenant_id, name=name, data=_plain(item)) for item in items], batch_size=1000
    )
    deliveries = Delivery.objects.for_tenant(tenant_id).bulk_create(
        [
            Delivery(tenant_id=tenant_id, endpoint=endpoint, event=event, next_attempt_at=now)
            for event in events
            for endpoint in endpoints
        ],
        batch_size=1000,
    )
    ids = [d.pk for d in deliveries]
    _outbox().add(tenant_id, ids)
    return len(ids)


class _Outbox:
    """The deliveries one transaction recorded, in the order it recorded them; they leave once, on
    commit. Every ``emit`` registers ``flush``: the first to run sends them all, the others find
    nothing left. Ids recorded in a savepoint that rolled back name no row and are skipped."""

    def __init__(self):
        self.deliveries: list[tuple[int, int]] = []

    def add(self, tenant_id: int, delivery_ids: list[int]) -> None:
        self.deliveries.extend((tenant_id, pk) for pk in delivery_ids)
        transaction.on_commit(self.flush)

    def flush(self) -> None:
        deliveries, self.deliveries = self.deliveries, []
        by_tenant: dict[int, list[int]] = {}
        for tenant_id, pk in deliveries:
            by_tenant.setdefault(tenant_id, []).append(pk)
        for tenant_id, ids in by_tenant.items():
            send_soon(tenant_id, ids)


def _outbox() -> _Outbox:
    """The current transaction's outbox: the connection's, while a flush of it is still to run (a
    transaction that rolled back, or ran its flush, leaves none behind: a new one starts)."""
    connection = transaction.get_connection()
    box = getattr(connection, "_webhook_outbox", None)
    if box is None or not any(func == box.flush for _sids, func, _robust in connection.run_on_commit):
        box = connection._webhook_outbox = _Outbox()
    return box


def send_soon(tenant_id: int, delivery_ids: list[int]) -> None:
    """Queue the deliveries, in their order (a task sends its ids one after the other); a broker
    that is down only delays them (the beat picks them up, oldest first)."""
    try:
        for start in range(0, len(delivery_ids), 100):
            deliver.delay(tenant_id=tenant_id, delivery_ids=delivery_ids[start : start + 100])
    except Exception:  # noqa: BLE001 - the outbox keeps them; webhooks.retry_due sends them
        logger.warning(
            "webhooks: could not queue %d deliveries; the retry beat will send them", len(delivery_ids)
        )


def _plain(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))

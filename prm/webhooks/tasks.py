"""Sending webhook deliveries: right after the change commits, and every minute for what is due.

The minute's sweep sends each endpoint's due deliveries in their order (oldest first), endpoints
side by side (``SWEEP_THREADS`` at a time): an endpoint that does not answer costs its own
deliveries their timeout (``services.TIMEOUT_SECONDS`` each) and delays no other endpoint, in its
tenant or another. What is still unsent after ``SWEEP_BUDGET_SECONDS`` waits for the next sweep.
"""

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from celery import shared_task
from django.db import connections

from prm.jobs.tasks import TenantTask
from prm.tenancy.context import tenant_context
from prm.tenancy.fanout import for_each_tenant

from .services import attempt, due_by_endpoint

logger = logging.getLogger(__name__)

SWEEP_THREADS = 8
#: the sweep starts no delivery after this long (it runs every minute)
SWEEP_BUDGET_SECONDS = 40


@shared_task(base=TenantTask, name="webhooks.deliver", acks_late=True)
def deliver(*, tenant_id: int, delivery_ids: list[int]) -> int:
    return sum(1 for pk in delivery_ids if attempt(tenant_id, pk) is not None)


@shared_task(name="webhooks.retry_due")
def retry_due() -> int:
    """Beat, every minute: deliveries whose next attempt is due, in every tenant (retries, and
    events whose first send was lost with a worker or a broker that was down)."""
    queues: list[tuple[int, list[int]]] = []

    def collect(tenant):
        found = due_by_endpoint(tenant)
        queues.extend((tenant.pk, ids) for ids in found)
        return {"due": sum(len(ids) for ids in found)}

    for_each_tenant("webhooks.retry_due", collect)
    return send_side_by_side(queues)


def send_side_by_side(queues: list[tuple[int, list[int]]]) -> int:
    """Send each ``(tenant_id, delivery ids)`` queue in its order, the queues concurrently;
    returns how many were sent."""
    deadline = time.monotonic() + SWEEP_BUDGET_SECONDS
    if len(queues) <= 1:  # one endpoint: no thread needed
        return sum(_send_queue(tenant_id, ids, deadline) for tenant_id, ids in queues)
    sent = 0
    with ThreadPoolExecutor(
        max_workers=min(SWEEP_THREADS, len(queues)), thread_name_prefix="webhooks"
    ) as pool:
        futures = [pool.submit(_in_thread, tenant_id, ids, deadline) for tenant_id, ids in queues]
        for future in futures:
            try:
                sent += future.result()
            except Exception:  # one endpoint's trouble must not stop the others; the next sweep retries
                logger.exception("webhooks: a delivery queue failed")
    return sent


def _in_thread(tenant_id: int, ids: list[int], deadline: float) -> int:
    try:
        return _send_queue(tenant_id, ids, deadline)
    finally:
        connections.close_all()  # this thread's own connections


def _send_queue(tenant_id: int, ids: list[int], deadline: float) -> int:
    sent = 0
    with tenant_context(tenant_id):
        for pk in ids:
            if time.monotonic() > deadline:
                break  # the rest waits for the next sweep, still in order
            sent += attempt(tenant_id, pk) is not None
    return sent

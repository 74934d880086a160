"""Sending webhook deliveries: right after the change commits, and every minute for what is due."""

from celery import shared_task

from prm.jobs.tasks import TenantTask
from prm.tenancy.fanout import for_each_tenant

from .services import attempt, due


@shared_task(base=TenantTask, name="webhooks.deliver", acks_late=True)
def deliver(*, tenant_id: int, delivery_ids: list[int]) -> int:
    return sum(1 for pk in delivery_ids if attempt(tenant_id, pk) is not None)


@shared_task(name="webhooks.retry_due")
def retry_due() -> int:
    """Beat, every minute: deliveries whose next attempt is due, in every tenant (retries, and
    events whose first send was lost with a worker or a broker that was down)."""
    result = for_each_tenant(
        "webhooks.retry_due",
        lambda tenant: {"sent": sum(1 for pk in due(tenant) if attempt(tenant.pk, pk) is not None)},
    )
    return result["totals"].get("sent", 0)

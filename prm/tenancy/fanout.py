"""How every beat job runs across tenants: each tenant in its own scope and its own transaction,
one tenant's failure logged and reported without stopping the others.

    @shared_task(name="partners.nightly")
    def nightly():
        return for_each_tenant("partners.nightly", lambda tenant: {...counts...})

The result is what the beat's task returns (and Flower/the logs show): the counts summed over the
tenants that succeeded, and the slugs of those that failed.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable

from django.db import transaction

from .context import tenant_context
from .models import Tenant

logger = logging.getLogger("prm.beat")


def for_each_tenant(job: str, work: Callable[..., dict | int | None]) -> dict:
    """Run ``work(tenant)`` for every tenant; returns ``{"totals": {...}, "failed": [slugs]}``."""
    totals: Counter = Counter()
    failed = []
    for tenant in Tenant.objects.order_by("pk"):
        try:
            with tenant_context(tenant), transaction.atomic():
                result = work(tenant)
        except Exception:  # one tenant's trouble must not stop the others; it is logged and reported
            logger.exception("%s failed for tenant %s", job, tenant.slug)
            failed.append(tenant.slug)
            continue
        if isinstance(result, dict):
            totals.update(
                {k: v for k, v in result.items() if isinstance(v, int | float) and not isinstance(v, bool)}
            )
        elif isinstance(result, int):
            totals["count"] += result
    if failed:
        logger.error("%s: %d tenants failed: %s", job, len(failed), ", ".join(failed))
    return {"totals": dict(totals), "failed": failed}

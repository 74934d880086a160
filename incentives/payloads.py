"""What the incentives app's webhook events carry: each object as the API shows it. Services call
these; they never import the API's serializers themselves."""

from __future__ import annotations

from .api.serializers import PayoutRunSerializer
from .selectors import run_list


def run_payload(run) -> dict:
    """One payout run as ``payout-runs/{id}/`` shows it."""
    return dict(PayoutRunSerializer(run_list(tenant=run.tenant_id).get(pk=run.pk)).data)

"""What the catalogue's webhook events carry: the redemption as the API shows it. Services call
this; they never import the API's serializers themselves."""

from __future__ import annotations

from .api.serializers import RedemptionSerializer
from .models import Redemption


def redemption_payload(redemption) -> dict:
    """One redemption as ``redemptions/{id}/`` shows it."""
    redemption = (
        Redemption.objects.for_tenant(redemption.tenant_id).select_related("partner").get(pk=redemption.pk)
    )
    return dict(RedemptionSerializer(redemption).data)

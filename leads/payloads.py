"""What the leads app's webhook events carry: each lead as the API shows it. Services call this; they
never import the API's serializers themselves."""

from __future__ import annotations

from .api.serializers import LeadSerializer
from .models import Lead


def lead_payload(lead) -> dict:
    """One lead as ``leads/{id}/`` shows it, with its offers."""
    lead = Lead.objects.for_tenant(lead.tenant_id).prefetch_related("offers").get(pk=lead.pk)
    return dict(LeadSerializer(lead).data)

"""What the partners app's webhook events carry: each object as the API shows it, built when the event
is recorded (so each event has the state of its moment). Services call these; they never import the
API's serializers themselves."""

from __future__ import annotations

from partners.api.serializers.deals import DealSerializer
from partners.api.serializers.partners import PartnerSerializer
from partners.models import Partner
from partners.selectors import deal_conflicts


def partner_payload(partner) -> dict:
    """One partner as ``partners/{id}/`` shows it."""
    return dict(PartnerSerializer(partner).data)


def partners_payload(tenant, ids: list[int]) -> list[dict]:
    """Several partners as the API shows them: one query with their contacts."""
    partners = (
        Partner.objects.for_tenant(tenant).filter(pk__in=ids).prefetch_related("contacts").order_by("id")
    )
    return [dict(data) for data in PartnerSerializer(partners, many=True).data]


def deal_payload(deal) -> dict:
    """One registration as ``deals/{id}/`` shows it, with its conflicts."""
    conflicts = deal_conflicts(tenant=deal.tenant_id, deals=[deal])
    return dict(DealSerializer(deal, context={"tenant": deal.tenant_id, "conflicts": conflicts}).data)

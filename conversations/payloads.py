"""What the channel's webhook events carry: the request as ``requests/{id}/`` shows it. Services
call this; they never import the API's serializers themselves."""

from __future__ import annotations

from .api.serializers import PartnerRequestSerializer


def request_payload(partner_request) -> dict:
    """The request (without its thread) as the API shows it."""
    return dict(PartnerRequestSerializer(partner_request, context={"tenant": partner_request.tenant}).data)

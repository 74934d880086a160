"""The catalogue's dashboard panel: a partner's points and what they buy."""

from partners.models import Partner

from .selectors import offer_for
from .summary import points_summary


def own_rewards(request) -> dict:
    """The partner user's points balance, what expires soon, and how many rewards it can afford."""
    partner = Partner.objects.for_tenant(request.tenant).get(pk=request.tenant_access.partner_id)
    summary = points_summary(partner)
    offer = offer_for(tenant=request.tenant, partner=partner)
    affordable = [i for i in offer if i.points <= summary["balance"] and not i.sold_out]
    return {"summary": summary, "affordable": len(affordable), "offered": len(offer)}

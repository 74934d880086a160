"""Incentives' queues of the approval queue (``partners.approvals``): MDF requests and claims that
wait for a decision, shown to the roles that decide MDF."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.approvals import ApprovalQueue, Waiting
from prm.tenancy.capabilities import Capability

from .choices import ClaimStatus, MdfStatus
from .selectors import mdf_claims, mdf_requests


def mdf_requests_waiting(tenant, limit: int) -> tuple[int, list[Waiting]]:
    """MDF requests not decided yet, the longest waiting first."""
    requests = (
        mdf_requests(tenant=tenant)
        .filter(status=MdfStatus.REQUESTED)
        .select_related("requested_by")
        .order_by("created_at", "pk")
    )
    page = list(requests[:limit])
    url = reverse("incentives:mdf", kwargs={"tenant": tenant.slug})
    items = [
        Waiting(
            partner_id=r.partner_id,
            partner=r.partner.name,
            what=_("MDF request for %(period)s: %(plan)s") % {"period": r.period, "plan": r.plan},
            since=r.created_at,
            amount=r.amount,
            currency=tenant.currency,
            asked_by=r.requested_by.get_username() if r.requested_by else "",
            url=url,
        )
        for r in page
    ]
    return (len(page) if len(page) < limit else requests.count()), items


def mdf_claims_waiting(tenant, limit: int) -> tuple[int, list[Waiting]]:
    """MDF claims submitted with their proof and not decided yet, the longest waiting first."""
    claims = mdf_claims(tenant=tenant).filter(status=ClaimStatus.SUBMITTED).order_by("created_at", "pk")
    page = list(claims[:limit])
    url = reverse("incentives:mdf", kwargs={"tenant": tenant.slug})
    items = [
        Waiting(
            partner_id=c.request.partner_id,
            partner=c.request.partner.name,
            what=_("MDF claim: %(what)s") % {"what": c.description},
            since=c.created_at,
            amount=c.claimed_amount if c.claimed_amount is not None else c.amount,
            currency=tenant.currency,
            url=url,
        )
        for c in page
    ]
    return (len(page) if len(page) < limit else claims.count()), items


MDF_REQUESTS = ApprovalQueue(
    "mdf_requests",
    gettext_lazy("MDF requests to decide"),
    Capability.DECIDE_MDF,
    mdf_requests_waiting,
    "incentives:mdf",
    order=30,
)
MDF_CLAIMS = ApprovalQueue(
    "mdf_claims",
    gettext_lazy("MDF claims to decide"),
    Capability.DECIDE_MDF,
    mdf_claims_waiting,
    "incentives:mdf",
    order=40,
)

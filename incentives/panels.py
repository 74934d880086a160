"""Dashboard panels of incentives/."""

from django.db.models import Sum

from .models import PayoutLine, PointsEntry
from .money import to_cents
from .selectors import approved_only, run_summaries


def runs(request) -> dict:
    return {"runs": list(run_summaries(tenant=request.tenant)[:4])}


def own_payouts(request) -> dict:
    """A partner's latest approved payout and its points balance."""
    partner_id = request.tenant_access.partner_id
    lines = approved_only(PayoutLine.objects.for_tenant(request.tenant).filter(partner_id=partner_id))
    latest = (
        lines.values("run_id", "run__period", "currency")
        .annotate(total=Sum("amount"))
        .order_by("-run__period")
        .first()
    )
    if latest:
        latest["total"] = to_cents(latest["total"])
    points = approved_only(PointsEntry.objects.for_tenant(request.tenant).filter(partner_id=partner_id))
    return {"latest": latest, "points": points.aggregate(total=Sum("points"))["total"] or 0}

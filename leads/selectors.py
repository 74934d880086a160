"""Reading leads: lists, a partner's lead record, and the measures tiers and scorecards use."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q

from prm.ranges import within

from .choices import LeadStatus, OfferOutcome
from .models import Lead, LeadOffer, LeadRule

ANSWERED = (OfferOutcome.ACCEPTED, OfferOutcome.DECLINED, OfferOutcome.EXPIRED)


def lead_list(*, tenant):
    return Lead.objects.for_tenant(tenant).select_related("partner", "rule", "deal")


def rule_list(*, tenant):
    return LeadRule.objects.for_tenant(tenant)


def lead_record(*, tenant, partner_ids, since=None) -> dict[int, dict]:
    """Per partner: offers answered, accepted, converted, the acceptance rate, the conversion rate
    (converted of accepted) and the mean hours to accept; one query for offers, one for leads."""
    offers = LeadOffer.objects.for_tenant(tenant).filter(
        partner_id__in=list(partner_ids), outcome__in=ANSWERED
    )
    if since is not None:
        offers = offers.filter(offered_at__gte=since)
    rows = offers.values("partner_id").annotate(
        answered=Count("id"),
        accepted=Count("id", filter=Q(outcome=OfferOutcome.ACCEPTED)),
        to_accept=Avg(
            ExpressionWrapper(F("answered_at") - F("offered_at"), output_field=DurationField()),
            filter=Q(outcome=OfferOutcome.ACCEPTED),
        ),
    )
    converted = dict(
        Lead.objects.for_tenant(tenant)
        .filter(partner_id__in=list(partner_ids), status=LeadStatus.CONVERTED)
        .values("partner_id")
        .annotate(n=Count("id"))
        .values_list("partner_id", "n")
    )
    record = {}
    for row in rows:
        accepted = row["accepted"]
        record[row["partner_id"]] = {
            "answered": row["answered"],
            "accepted": accepted,
            "converted": converted.get(row["partner_id"], 0),
            "acceptance_rate": round(accepted / row["answered"], 3),
            "conversion_rate": round(converted.get(row["partner_id"], 0) / accepted, 3) if accepted else None,
            "hours_to_accept": round(row["to_accept"] / timedelta(hours=1), 1) if row["to_accept"] else None,
        }
    return record


def _acceptance(offers) -> dict[int, tuple[int, int]]:
    rows = (
        offers.filter(outcome__in=ANSWERED)
        .values("partner_id")
        .annotate(answered=Count("id"), accepted=Count("id", filter=Q(outcome=OfferOutcome.ACCEPTED)))
    )
    return {r["partner_id"]: (r["accepted"], r["answered"]) for r in rows}


def leads_willingness(tenant, since) -> dict[int, float]:
    """Willingness input ``leads``: % of the leads offered in the window that the partner accepted
    (answered offers only: declined and unanswered count against it); one query."""
    offers = LeadOffer.objects.for_tenant(tenant).filter(offered_at__gte=since)
    return {pid: 100.0 * acc / n for pid, (acc, n) in _acceptance(offers).items()}


def leads_accepted_kpi(tenant, period, kpi=None, partners=None) -> dict[int, Decimal]:
    """KPI source ``leads_accepted``: % of the leads offered in the period the partner accepted."""
    offers = within(LeadOffer.objects.for_tenant(tenant), partners).filter(
        offered_at__date__gte=period.start, offered_at__date__lte=period.end
    )
    return {
        pid: (Decimal(100) * acc / n).quantize(Decimal("0.1"))
        for pid, (acc, n) in _acceptance(offers).items()
    }


def leads_section(tenant, partner) -> dict:
    """The partner page's record with leads: answered, accepted, converted, the rates, time to accept."""
    return {"lead_record": lead_record(tenant=tenant, partner_ids=[partner.pk]).get(partner.pk)}


def leads_ignored(tenant, now, programme=None) -> dict[int, dict]:
    """Health signal ``leads_ignored``: two or more offers left to expire in the last 30 days."""
    rows = (
        LeadOffer.objects.for_tenant(tenant)
        .filter(outcome=OfferOutcome.EXPIRED, offered_at__gte=now - timedelta(days=30))
        .values("partner_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
    )
    return {row["partner_id"]: {"count": row["n"]} for row in rows}


def leads_after_claims(tenant, claims, weeks: timedelta) -> dict:
    """Per MDF rule key of ``claims`` (a queryset of MDF claims, ``incentives.followups``): the leads its
    claiming partners received within ``weeks`` after each claim (one query)."""
    after = Q(
        request__partner__leads__created_at__gte=F("created_at"),
        request__partner__leads__created_at__lt=F("created_at") + weeks,
    )
    rows = (
        claims.values("request__rule__key")
        .annotate(n=Count("request__partner__leads", filter=after, distinct=True))
        .order_by()
    )
    return {row["request__rule__key"]: row["n"] for row in rows}

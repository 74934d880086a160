"""Loading every partner's period facts for a payout run: a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Min, Q, Sum

from partners.benefits import benefit_list
from partners.choices import DealStatus, Stage
from partners.conversion import unconverted, with_converted, with_rate
from partners.models import DealRegistration, Partner, Sale, StageChange
from partners.programme import programme_for
from scorecards.models import Scorecard, ScorecardLine

from .choices import ClaimStatus
from .models import MdfClaim
from .money import MissingRate
from .rules import PartnerFacts
from .rules.base import SaleFact


def load_facts(tenant, period) -> dict[int, PartnerFacts]:
    """Partners (all but lost) with their sales converted at the sale date's rate, scorecard,
    milestones, won deals, last period's revenue and approved MDF claims."""
    paid = Partner.objects.for_tenant(tenant).exclude(stage=Stage.LOST)
    if not programme_for(tenant).pay_unsigned_partners:  # the programme pays signed partners only
        paid = paid.filter(stage__in=[Stage.SIGNED, Stage.CERTIFIED])
    by_tier = defaultdict(dict)  # each tier's benefit values, for rules that read them: one query
    for tier, kind, value in (
        benefit_list(tenant=tenant).filter(value__isnull=False).values_list("tier", "kind", "value")
    ):
        by_tier[tier][kind] = value
    facts = {
        p.pk: PartnerFacts(partner_id=p.pk, name=p.name, stage=p.stage, tier=p.tier, region=p.region,
                           benefits=by_tier.get(p.tier, {}))
        for p in paid.only("id", "name", "stage", "region", "computed_tier", "tier_override")
    }  # fmt: skip
    sales = with_rate(
        Sale.objects.for_tenant(tenant).filter(
            date__gte=period.start, date__lte=period.end, partner_id__in=facts
        ),
        tenant,
    )
    for s in sales.order_by("date", "id"):
        if s.rate is None:
            raise MissingRate(s.currency, s.date, s.external_id)
        facts[s.partner_id].sales.append(
            SaleFact(
                s.pk,
                s.external_id,
                s.date,
                s.product,
                s.quantity,
                s.amount,
                s.currency,
                s.rate,
                s.customer,
            )  # fmt: skip
        )
    _scorecards(tenant, period, facts)
    firsts = Sale.objects.for_tenant(tenant).values("partner_id").annotate(first=Min("date"))
    for row in firsts:
        if row["partner_id"] in facts and period.start <= row["first"] <= period.end:
            facts[row["partner_id"]].first_sale_in_period = True
    certified = StageChange.objects.for_tenant(tenant).filter(
        to_stage=Stage.CERTIFIED, changed_at__date__gte=period.start, changed_at__date__lte=period.end
    )
    for partner_id in certified.values_list("partner_id", flat=True):
        if partner_id in facts:
            facts[partner_id].certified_in_period = True
    # a deal counts in the period it was won (closed); without a close date, the one it was registered in
    won = (
        DealRegistration.objects.for_tenant(tenant)
        .filter(status=DealStatus.WON)
        .filter(
            Q(closed_at__date__gte=period.start, closed_at__date__lte=period.end)
            | Q(
                closed_at__isnull=True,
                registered_at__date__gte=period.start,
                registered_at__date__lte=period.end,
            )
        )
    )
    for deal in won.values("id", "partner_id", "customer", "customer_key", "expected_amount"):
        if deal["partner_id"] in facts:
            facts[deal["partner_id"]].won_deals.append(deal)
    previous = period.previous()
    earlier = Sale.objects.for_tenant(tenant).filter(
        date__gte=previous.start, date__lte=previous.end, partner_id__in=facts
    )
    missing = unconverted(earlier, tenant)
    if missing:  # converted at each day's rate, like this period's sales
        raise MissingRate(
            missing[0]["currency"],
            missing[0]["from"],
            f"{missing[0]['currency']} sales of {missing[0]['from']}",
        )
    revenue = with_converted(earlier, tenant).values("partner_id").annotate(v=Sum("converted"))
    for row in revenue:
        facts[row["partner_id"]].last_period_revenue += row["v"] or Decimal(0)
    _mdf(tenant, period, facts)
    return facts


def _scorecards(tenant, period, facts):
    cards = {
        c["id"]: c
        for c in Scorecard.objects.for_tenant(tenant)
        .filter(period=period.code)
        .values("id", "partner_id", "score")
    }
    lines = defaultdict(dict)
    for card_id, code, attainment in (
        ScorecardLine.objects.for_tenant(tenant)
        .filter(scorecard_id__in=cards)
        .values_list("scorecard_id", "code", "attainment")
    ):
        lines[card_id][code] = attainment
    for card in cards.values():
        if card["partner_id"] in facts:
            facts[card["partner_id"]].scorecard = {
                "id": card["id"],
                "score": card["score"],
                "lines": lines[card["id"]],
            }


def _mdf(tenant, period, facts):
    claims = (
        MdfClaim.objects.for_tenant(tenant)
        .filter(status=ClaimStatus.APPROVED, request__period=period.code)
        .values("id", "amount", "request_id", "request__partner_id")
    )
    for claim in claims.order_by("id"):
        partner_id = claim["request__partner_id"]
        if partner_id in facts:
            facts[partner_id].approved_claims.append(
                {"id": claim["id"], "amount": claim["amount"], "request": claim["request_id"]}
            )

"""Loading the paid partners' period facts for a payout run: a fixed number of queries per range of partners."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from partners.choices import DealStatus, Stage
from partners.models import DealRegistration, Partner, Sale, StageChange
from partners.tiering.benefits import benefit_list
from prm.currency.conversion import revenue_and_unconverted
from prm.ranges import id_ranges, in_range
from scorecards.models import Scorecard, ScorecardLine

from .choices import ClaimStatus
from .loyalty_facts import load_loyalty
from .models import MdfClaim
from .money import MissingRate
from .programme import incentive_programme_for
from .queries import sale_selections
from .rules import PartnerFacts
from .rules.base import ALL, Selection, all_sales, criteria
from .rules.kinds import mdf_reads_revenue
from .run_warnings import run_checks

#: The rule kinds that pay on a selection of the partner's sales.
SELECTING = ("commission", "rebate", "spif", "points")


def paid_partners(tenant):
    """The partners a run pays: all but lost ones; only signed and certified unless the programme
    pays the others too."""
    paid = Partner.objects.for_tenant(tenant).exclude(stage=Stage.LOST)
    if not incentive_programme_for(tenant).pay_unsigned_partners:
        paid = paid.filter(stage__in=[Stage.SIGNED, Stage.CERTIFIED])
    return paid


def partner_ranges(tenant, size: int | None = None) -> list[tuple[int, int | None]]:
    """The paid partners cut into id ranges ``[low, high)`` of ``size`` partners (one query).

    ``settings.PRM_PAYOUT_CHUNK`` by default: it bounds the memory of a computation whatever the
    size of the channel, and is the unit that workers share when a run fans out.
    """
    return id_ranges(paid_partners(tenant), size or settings.PRM_PAYOUT_CHUNK)


def needed(rules) -> set[str]:
    """The facts beyond the sales that ``rules`` read (``None``: every rule kind, so all of them)."""
    if rules is None:
        return {"scorecard", "first_sale", "certified", "won_deals", "last_period_revenue", "claims"}
    needs = set()
    for rule in rules:
        if rule.kind == "bonus":
            kind = rule.params.get("type")
            needs.add(
                {
                    "score": "scorecard",
                    "attainment": "scorecard",
                    "first_sale": "first_sale",
                    "certification": "certified",
                    "strategic_deal": "won_deals",
                }.get(kind, kind)
            )
        elif rule.kind == "mdf":
            needs.add("claims")
            if mdf_reads_revenue(rule.params):
                needs.add("last_period_revenue")
    return needs


def load_facts(
    tenant, period, low: int | None = None, high: int | None = None, rules=None
) -> dict[int, PartnerFacts]:
    """Partners (all but lost, or only signed ones, see ``paid_partners``) with ids in ``[low, high)``,
    with their sales converted at the sale date's rate and what ``rules`` read besides (``needed``:
    scorecard, milestones, won deals, last period's revenue, approved MDF claims; all of them
    without ``rules``): a fixed number of queries, whatever the range.

    The sales stay in the database: each selection that ``rules`` make of a partner's sales (and
    all of them) is counted and summed there, its source built as JSON (``_selections``)."""
    paid = in_range(paid_partners(tenant), "pk", low, high)
    by_tier = defaultdict(dict)  # each tier's benefit values, for rules that read them: one query
    for tier, kind, value in (
        benefit_list(tenant=tenant).filter(value__isnull=False).values_list("tier", "kind", "value")
    ):
        by_tier[tier][kind] = value
    facts = {
        p.pk: PartnerFacts(
            partner_id=p.pk,
            name=p.name,
            stage=p.stage,
            tier=p.tier,
            region=p.region,
            benefits=by_tier.get(p.tier, {}),
        )
        for p in paid.only("id", "name", "stage", "region", "computed_tier", "tier_override")
    }
    sales = in_range(Sale.objects.for_tenant(tenant), "partner_id", low, high).filter(
        date__gte=period.start, date__lte=period.end, partner_id__in=facts
    )
    for check in run_checks():  # sales other apps leave out of the run (``run_checks`` plugs)
        left_out = check.excluded(tenant) if check.excluded else None
        if left_out is not None:
            sales = sales.exclude(left_out)
    selecting = [rule for rule in rules or () if rule.kind in SELECTING]
    _selections(sales, facts, {ALL} | {criteria(rule) for rule in selecting})
    for need in sorted(needed(rules)):
        LOADERS[need](tenant, period, facts, low, high)
    load_loyalty(tenant, period, facts, low, high, rules)
    return facts


def _certified(tenant, period, facts, low, high) -> None:
    certified = StageChange.objects.for_tenant(tenant).filter(
        to_stage=Stage.CERTIFIED, changed_at__date__gte=period.start, changed_at__date__lte=period.end
    )
    for partner_id in in_range(certified, "partner_id", low, high).values_list("partner_id", flat=True):
        if partner_id in facts:
            facts[partner_id].certified_in_period = True


def _won_deals(tenant, period, facts, low, high) -> None:
    """A deal counts in the period it was won (closed); without a close date, the one it was registered in."""
    won = (
        in_range(DealRegistration.objects.for_tenant(tenant), "partner_id", low, high)
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


def _last_period_revenue(tenant, period, facts, low, high) -> None:
    """The previous period's revenue, converted at each day's rate like this period's sales."""
    previous = period.previous()
    earlier = in_range(Sale.objects.for_tenant(tenant), "partner_id", low, high).filter(
        date__gte=previous.start, date__lte=previous.end, partner_id__in=facts
    )
    revenue, missing = revenue_and_unconverted(earlier, tenant)
    if missing:
        raise MissingRate(
            missing[0]["currency"],
            missing[0]["from"],
            f"{missing[0]['currency']} sales of {missing[0]['from']}",
        )
    for partner_id, amount in revenue.items():
        facts[partner_id].last_period_revenue += amount


def _selections(sales, facts, keys: set[tuple]) -> None:
    """Each selection of ``keys`` (``rules.base.criteria``) of each partner's ``sales``, counted and
    summed in one aggregate query (``queries.sale_selections``): its volume converted at each sale
    date's rate, its units, and its source (ids, external ids and rates in date order) as JSON text
    that Python keeps unread."""
    keys = sorted(keys, key=repr)
    wanted = [
        {
            "k": n,
            "products": list(products),
            "since": since and since.isoformat(),
            "until": until and until.isoformat(),
            "product": product,
        }
        for n, (products, since, until, product) in enumerate(keys)
    ]
    for partner in facts.values():
        partner.selections = {}
    missing = 0
    for partner_id, k, count, volume, units, unconverted, source in sale_selections(sales, wanted):
        facts[partner_id].selections[keys[k]] = Selection(count, volume, units, source_json=source)
        missing += unconverted
    if missing:  # the first sale without a rate, as the rows would have met it
        row = (
            sales.filter(rate__isnull=True)
            .order_by("date", "id")
            .values_list("currency", "date", "external_id")
        )
        raise MissingRate(*row.first())


def _first_sales(tenant, period, facts, low=None, high=None) -> None:
    """Partners whose first sale ever falls in the period: a sale in it and none before it (an index
    lookup per partner that sold, instead of every partner's first sale over all history)."""
    sold = [partner_id for partner_id, f in facts.items() if all_sales(f).count]
    if not sold:
        return
    earlier = Sale.objects.for_tenant(tenant).filter(partner_id=OuterRef("pk"), date__lt=period.start)
    never_before = (
        Partner.objects.for_tenant(tenant)
        .filter(pk__in=sold)
        .exclude(Exists(earlier))
        .values_list("pk", flat=True)
    )
    for partner_id in never_before:
        facts[partner_id].first_sale_in_period = True


def _scorecards(tenant, period, facts, low=None, high=None):
    cards = {
        c["id"]: c
        for c in in_range(Scorecard.objects.for_tenant(tenant).current(), "partner_id", low, high)
        .filter(period=period.code)
        .values("id", "partner_id", "score", "revision")
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
                "revision": card["revision"],
                "score": card["score"],
                "lines": lines[card["id"]],
            }


def _mdf(tenant, period, facts, low=None, high=None):
    claims = (
        in_range(MdfClaim.objects.for_tenant(tenant), "request__partner_id", low, high)
        .filter(status=ClaimStatus.APPROVED, request__period=period.code)
        .values("id", "amount", "request_id", "request__partner_id", "request__rule__key")
    )
    for claim in claims.order_by("id"):
        partner_id = claim["request__partner_id"]
        if partner_id in facts:
            facts[partner_id].approved_claims.append(
                {
                    "id": claim["id"],
                    "amount": claim["amount"],
                    "request": claim["request_id"],
                    "rule": claim["request__rule__key"],
                }
            )


#: How each fact beyond the sales is loaded (``needed`` names them).
LOADERS = {
    "scorecard": _scorecards,
    "first_sale": _first_sales,
    "certified": _certified,
    "won_deals": _won_deals,
    "last_period_revenue": _last_period_revenue,
    "claims": _mdf,
}

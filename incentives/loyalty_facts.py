"""The facts the loyalty rule kinds read, loaded for every partner of a range at once.

``load_loyalty`` fills each ``PartnerFacts`` with what the run's loyalty rules need, in a fixed
number of queries whatever the number of partners: the tier held at the end of this and earlier
periods (from the partners' tier changes: one query, plus one for their creation dates), the date
each partnership began (one aggregate over the stage history), and the revenue of the earlier
periods that sustained growth compares (one aggregate per period).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from partners.choices import Stage
from partners.models import Partner, Sale, StageChange, TierChange
from prm.currency.conversion import revenue_and_unconverted
from prm.ranges import in_range

from .choices import RuleKind
from .money import MissingRate

#: how many periods back a tier streak is read (a streak is never counted longer than this)
TIER_LOOKBACK = 40


def load_loyalty(tenant, period, facts: dict, low, high, rules) -> None:
    """What the loyalty rules among ``rules`` read, for the partners of ``facts``."""
    kinds = {rule.kind for rule in rules or ()}
    if rules is None:
        kinds = {RuleKind.LOYALTY_TIER, RuleKind.LOYALTY_YEARS, RuleKind.SUSTAINED_GROWTH}
    if not facts:
        return
    created = {}
    if kinds & {RuleKind.LOYALTY_TIER, RuleKind.LOYALTY_YEARS}:
        created = dict(
            Partner.objects.for_tenant(tenant).filter(pk__in=facts).values_list("pk", "created_at")
        )
    if RuleKind.LOYALTY_TIER in kinds:
        _tier_history(tenant, period, facts, low, high, created)
    if RuleKind.LOYALTY_YEARS in kinds:
        _partner_since(tenant, facts, low, high, created)
    growth = [rule for rule in rules or () if rule.kind == RuleKind.SUSTAINED_GROWTH]
    if growth:
        _earlier_revenue(tenant, period, facts, low, high, max(int(r.params["periods"]) for r in growth))


def _day(moment):
    return timezone.localtime(moment).date()


def _tier_history(tenant, period, facts, low, high, created) -> None:
    """Each partner's tier at the end of this period and the ``TIER_LOOKBACK - 1`` before it,
    newest first: the last change's tier by then; before its first change, the tier that change
    left; with no change at all, its tier now; before the partner existed, none."""
    changes = defaultdict(list)
    rows = (
        in_range(TierChange.objects.for_tenant(tenant), "partner_id", low, high)
        .filter(partner_id__in=facts)
        .order_by("partner_id", "changed_at", "id")
        .values_list("partner_id", "changed_at", "from_tier", "to_tier")
    )
    for partner_id, changed_at, from_tier, to_tier in rows:
        changes[partner_id].append((_day(changed_at), from_tier, to_tier))
    periods = [period]
    while len(periods) < TIER_LOOKBACK:
        periods.append(periods[-1].previous())
    for partner_id, partner in facts.items():
        own = changes.get(partner_id, [])
        days = [day for day, _from, _to in own]
        since = _day(created[partner_id]) if partner_id in created else None
        history = []
        for each in periods:
            if since is not None and since > each.end:
                break
            index = bisect_right(days, each.end)
            if index:
                tier = own[index - 1][2]
            else:
                tier = own[0][1] if own else partner.tier
            history.append((each.code, tier or ""))
        partner.tier_history = history


def _partner_since(tenant, facts, low, high, created) -> None:
    """The day each partnership began: its first move to signed or certified, else its creation."""
    began = (
        in_range(StageChange.objects.for_tenant(tenant), "partner_id", low, high)
        .filter(partner_id__in=facts, to_stage__in=[Stage.SIGNED, Stage.CERTIFIED])
        .values("partner_id")
        .annotate(first=Min("changed_at"))
        .values_list("partner_id", "first")
    )
    first = dict(began)
    for partner_id, partner in facts.items():
        moment = first.get(partner_id) or created.get(partner_id)
        partner.partner_since = _day(moment) if moment else None


def _earlier_revenue(tenant, period, facts, low, high, count: int) -> None:
    """The revenue of the ``count`` periods before this one, newest first, converted at each day's
    rate like the period's own sales (one aggregate query per period)."""
    for partner in facts.values():
        partner.earlier_revenue = []
    earlier = period
    for _step in range(count):
        earlier = earlier.previous()
        sales = in_range(Sale.objects.for_tenant(tenant), "partner_id", low, high).filter(
            date__gte=earlier.start, date__lte=earlier.end, partner_id__in=facts
        )
        revenue, missing = revenue_and_unconverted(sales, tenant)
        if missing:
            raise MissingRate(
                missing[0]["currency"],
                missing[0]["from"],
                f"{missing[0]['currency']} sales of {missing[0]['from']}",
            )
        for partner_id, partner in facts.items():
            partner.earlier_revenue.append(revenue.get(partner_id, Decimal(0)))

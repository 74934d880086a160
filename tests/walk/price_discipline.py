"""The price discipline of the walk (``invariants.py`` states it, ``check_all`` checks it): sales
below their tier's minimum resale price, found here from the price list, the partner's tier in force
and the sale (not by pricing's own query), and what the payout runs and the partner users' price
lists make of them."""

from __future__ import annotations

from collections import defaultdict

from incentives.facts import paid_partners
from incentives.models import PayoutLine, PayoutRun, PayoutRunWarning
from partners.models import Partner, Sale
from pricing.models import ListPrice, TierTerms

from .world import World

#: the run warning of sales below the minimum, and how many of its sales it names
BELOW_MINIMUM, NAMED = "below_minimum_price", 10


def below_minimum(world: World, since, until) -> dict[int, set[int]]:
    """The sales from ``since`` to ``until`` of the partners a run pays that are below their tier's
    minimum resale price, by partner: a price of the sale's product and currency valid on its day,
    the terms of the partner's tier in force now, and ``amount < minimum × quantity``."""
    t = world.tenant.pk
    tenant = type(world.tenant).objects.get(pk=t)  # (the programme as stored now)
    tiers = {p.pk: p.tier for p in paid_partners(tenant)}
    terms = defaultdict(list)
    for term in TierTerms.objects.for_tenant(t).select_related("price"):
        price = term.price
        terms[(price.product, price.currency, term.tier)].append(
            (price.valid_from, price.valid_to, term.minimum_price)
        )
    found = defaultdict(set)
    sales = Sale.objects.for_tenant(t).filter(
        date__gte=since, date__lte=until, partner_id__in=tiers, amount__gt=0, quantity__gt=0
    )
    for sale in sales:
        for start, end, minimum in terms.get((sale.product, sale.currency, tiers[sale.partner_id]), ()):
            if (
                start <= sale.date
                and (end is None or sale.date <= end)
                and sale.amount < minimum * sale.quantity
            ):
                found[sale.partner_id].add(sale.pk)
    return dict(found)


def below_minimum_earns(world: World) -> bool:
    stored = type(world.tenant).objects.get(pk=world.tenant.pk).programme_settings or {}
    return (stored.get("pricing") or {}).get("below_minimum_earns", True) is not False


def prices(world: World, record) -> None:
    """Sales below the minimum: left out of the runs computed while they did not earn, and named by
    each computed run's warning; a partner user reads its own tier's terms only."""
    t = world.tenant.pk
    runs = {run.pk: run for run in PayoutRun.objects.for_tenant(t).filter(pk__in=record.priced)}
    for run_id, (computed_at, earns, below) in record.priced.items():
        run = runs[run_id]
        assert run.computed_at == computed_at, f"run {run.period} recomputed unseen by the walk"
        everything = set().union(*below.values()) if below else set()
        if not earns:
            paid = {
                sale
                for source in PayoutLine.objects.for_tenant(t)
                .filter(run=run)
                .values_list("source", flat=True)
                for sale in (source or {}).get("sales") or []
            }
            assert not paid & everything, (
                f"run {run.period} computed while they earn nothing paid sales below the minimum: "
                f"{sorted(paid & everything)}"
            )
        warned = {
            w.partner_id: w
            for w in PayoutRunWarning.objects.for_tenant(t).filter(run=run, code=BELOW_MINIMUM)
        }
        assert set(warned) == set(below), (
            f"run {run.period}: warnings of sales below the minimum for partners {sorted(warned)}, "
            f"such sales of partners {sorted(below)}"
        )
        for partner_id, sales in below.items():
            facts, params = warned[partner_id].facts, warned[partner_id].params
            assert facts["sales_count"] == len(sales) and set(facts["sales"]) == set(sorted(sales)[:NAMED]), (
                f"run {run.period}: the warning of partner {partner_id} names {facts}, the sales are {sorted(sales)}"
            )
            assert params["excluded"] is not earns, (
                f"run {run.period}: the warning says excluded={params['excluded']}"
            )
    if not ListPrice.objects.for_tenant(t).exists():
        return
    tiers = {p.pk: p.tier for p in Partner.objects.for_tenant(t).only("computed_tier", "tier_override")}
    for actor in world.actors.values():
        if actor.partner_id is None:
            continue
        rows = actor.call("get", "prices/?page_size=200").json()["results"]
        shown = {term["tier"] for row in rows for term in row["terms"]}
        assert shown <= {tiers[actor.partner_id]}, (
            f"{actor.name} (tier {tiers[actor.partner_id]}) read terms of {shown}"
        )
        own = TierTerms.objects.for_tenant(t).filter(tier=tiers[actor.partner_id]).count()
        assert sum(len(row["terms"]) for row in rows) == own, f"{actor.name} misses its own tier's terms"

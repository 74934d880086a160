"""What breaks the price list, found in the database: sales below their tier's minimum resale price
and deal registrations below their tier's discount band.

A sale's price is found by its product, currency and day; the terms by the partner's tier in force
(its override, else its computed tier) now. A sale is below the minimum when it carries a unit price
(a positive amount and quantity) and ``amount < minimum × quantity`` (exact: no unit price is
rounded); a unit price equal to the minimum is not. A registration is below the band when
``expected amount < list price × (100 − largest discount) / 100``, the price found by its product,
currency and the day it was registered; an amount on the band's floor is not. Rejected and withdrawn
registrations are left out.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import (
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, TruncDate

from partners.choices import DealStatus
from partners.models import DealRegistration, Sale

from .models import TierTerms
from .programme import pricing_programme_for

MONEY = DecimalField(max_digits=30, decimal_places=6)
#: registrations that no longer stand for a price offered
LEFT_OUT = (DealStatus.REJECTED, DealStatus.WITHDRAWN)


def tier_in_force(partner: str = "partner__"):
    """The tier in force of the (outer) row's partner: the override, else the computed tier."""
    return Coalesce(
        NullIf(OuterRef(f"{partner}tier_override"), Value("")),
        OuterRef(f"{partner}computed_tier"),
        output_field=CharField(),
    )


def terms_on(tenant, *, day):
    """The tier terms of the outer row's product, currency and partner's tier, valid on ``day``."""
    return (
        TierTerms.objects.for_tenant(tenant)
        .filter(
            price__product=OuterRef("product"),
            price__currency=OuterRef("currency"),
            price__valid_from__lte=day,
            tier=tier_in_force(),
        )
        .filter(Q(price__valid_to__isnull=True) | Q(price__valid_to__gte=day))
    )


def below_minimum(tenant) -> Q:
    """Sales (a filter of ``Sale``) below their tier's minimum resale price on their day."""
    under = (
        terms_on(tenant, day=OuterRef("date"))
        .annotate(floor=ExpressionWrapper(F("minimum_price") * OuterRef("quantity"), output_field=MONEY))
        .filter(floor__gt=OuterRef("amount"))
    )
    return Q(amount__gt=0, quantity__gt=0) & Q(Exists(under))


def sales_below(tenant, *, since=None, until=None, partners=None):
    """The sales below their minimum (a plain queryset: to count, group or list)."""
    sales = Sale.objects.for_tenant(tenant).filter(below_minimum(tenant))
    if since is not None:
        sales = sales.filter(date__gte=since)
    if until is not None:
        sales = sales.filter(date__lte=until)
    if partners is not None:
        sales = sales.filter(partner__in=partners)
    return sales


def sales_below_minimum(tenant, **filters):
    """``sales_below`` with ``minimum_price`` (the unit price they should have kept), newest first."""
    minimum = terms_on(tenant, day=OuterRef("date")).values("minimum_price")[:1]
    return (
        sales_below(tenant, **filters)
        .annotate(minimum_price=Subquery(minimum))
        .select_related("partner")
        .order_by("-date", "-id")
    )


def _deal_terms(tenant):
    """The terms of the outer registration, with ``floor``: the lowest amount within the band."""
    return terms_on(tenant, day=OuterRef("registered_on")).annotate(
        floor=ExpressionWrapper(F("price__list_price") * (100 - F("max_discount")) / 100, output_field=MONEY)
    )


def deals_below(tenant, *, since=None, partners=None):
    """The deal registrations below their band (a plain queryset: to count, group or list)."""
    deals = (
        DealRegistration.objects.for_tenant(tenant)
        .exclude(status__in=LEFT_OUT)
        .exclude(product="")
        .alias(registered_on=TruncDate("registered_at"))
    )
    if since is not None:
        deals = deals.filter(registered_at__date__gte=since)
    if partners is not None:
        deals = deals.filter(partner__in=partners)
    return deals.filter(Exists(_deal_terms(tenant).filter(floor__gt=OuterRef("expected_amount"))))


def deals_below_band(tenant, **filters):
    """``deals_below`` with ``list_price`` and ``max_discount``, newest first."""
    terms = _deal_terms(tenant)
    return (
        deals_below(tenant, **filters)
        .annotate(
            list_price=Subquery(terms.values("price__list_price")[:1]),
            max_discount=Subquery(terms.values("max_discount")[:1]),
        )
        .select_related("partner")
        .order_by("-registered_at", "-id")
    )


def breaches(tenant, now, programme=None) -> dict[int, dict]:
    """Health signal ``price_breach``: partners with sales below the minimum or registrations below
    the band in the last ``breach_days`` (pricing's own setting; ``programme`` is the partners'):
    two aggregate queries."""
    days = pricing_programme_for(tenant).breach_days
    since = (now - timedelta(days=days)).date()
    found: dict[int, dict] = {}
    sales = sales_below(tenant, since=since).values("partner_id").annotate(n=Count("id")).order_by()
    for row in sales:
        found[row["partner_id"]] = {"sales": row["n"], "deals": 0, "days": days}
    deals = deals_below(tenant, since=since).values("partner_id").annotate(n=Count("id")).order_by()
    for row in deals:
        found.setdefault(row["partner_id"], {"sales": 0, "deals": 0, "days": days})
        found[row["partner_id"]]["deals"] = row["n"]
    return found

"""Reads of the price list: the prices with their tier terms, for staff every tier's, for a partner
user its own tier's only."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils import timezone

from partners.models import Partner

from .models import ListPrice, TierTerms


def partner_tier(tenant, partner_id) -> str:
    """A partner's tier in force ("" before it has one)."""
    partner = (
        Partner.objects.for_tenant(tenant)
        .filter(pk=partner_id)
        .only("computed_tier", "tier_override")
        .first()
    )
    return partner.tier if partner else ""


def price_list(
    tenant, *, tier: str | None = None, product: str = "", currency: str = "", current: bool = False, on=None
):
    """The tenant's prices, product by product, each with ``terms``: every tier's, or only ``tier``'s
    (a partner user's list). ``product`` searches names; ``current`` keeps the prices valid on ``on``
    (today by default)."""
    terms = TierTerms.objects.for_tenant(tenant).order_by("tier")
    if tier is not None:
        terms = terms.filter(tier=tier)
    prices = ListPrice.objects.for_tenant(tenant).prefetch_related(Prefetch("terms", queryset=terms))
    if product:
        prices = prices.filter(product__icontains=product)
    if currency:
        prices = prices.filter(currency=currency.upper())
    if current:
        day = on or timezone.localdate()
        prices = prices.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    return prices.order_by("product", "currency", "-valid_from", "id")

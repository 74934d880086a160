"""Demo price list (imported from CSV, as a tenant would) and one breach of each kind: a sale below
its tier's minimum resale price in the previous period, which the draft payout run computed after it
(``incentives.demo.seed``) flags, and a deal registered below the discount band. Seeded with the
other inputs, before the tiers, scorecards and runs that read them.

The list's minimums sit below every random demo sale's unit price and its bands below every random
deal, so only these two are flagged. Idempotent: a tenant with prices keeps them.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from partners.choices import DealStatus, Stage
from partners.demo_data import PRODUCTS
from partners.models import DealRegistration, Partner, PartnerUser
from partners.selling.customers import normalise_customer
from partners.selling.sales import sale_create
from prm.periods import period_containing

from .models import ListPrice
from .services import COLUMNS, prices_import

#: tier → (largest discount %, minimum resale price)
TERMS = {"A": ("30", "140"), "B": ("25", "150"), "C": ("20", "155"), "D": ("15", "160")}
LIST_PRICE = Decimal("900.00")


def _csv(tenant, since) -> bytes:
    lines = [",".join(COLUMNS)]
    for product in PRODUCTS.get(tenant.slug, ["Demo product"]):
        for tier, (discount, minimum) in TERMS.items():
            lines.append(
                f"{product},{tenant.currency},{since.isoformat()},,{LIST_PRICE},{tier},{discount},{minimum}"
            )
    # the flagship in US dollars too: a second currency of the same product
    product = PRODUCTS.get(tenant.slug, ["Demo product"])[0]
    if tenant.currency != "USD":
        lines.append(f"{product},USD,{since.isoformat()},,990.00,A,30,150")
    return ("\n".join(lines) + "\n").encode()


def _breaching_partner(tenant):
    """The demo partner user's company where it is signed, else the first signed partner (the tiers
    are computed after the inputs; every tier has terms, so whichever it gets flags the sale)."""
    link = (
        PartnerUser.objects.for_tenant(tenant)
        .filter(membership__user__username=f"{tenant.slug}-partner")
        .select_related("partner")
        .first()
    )
    signed = [Stage.SIGNED, Stage.CERTIFIED]
    if link and link.partner.stage in signed:
        return link.partner
    return Partner.objects.for_tenant(tenant).filter(stage__in=signed).order_by("id").first()


def seed(tenant) -> None:
    if ListPrice.objects.for_tenant(tenant).exists():
        return
    today = timezone.localdate()
    prices_import(tenant=tenant, actor=None, file=io.BytesIO(_csv(tenant, today - timedelta(days=400))))
    partner = _breaching_partner(tenant)
    if partner is None:
        return
    product = PRODUCTS.get(tenant.slug, ["Demo product"])[-1]
    period = period_containing(today).previous()
    day = max(period.start + timedelta(days=4), timezone.localdate(partner.created_at) + timedelta(days=1))
    if day <= period.end:
        # ten units at 95 each: below every tier's minimum
        sale_create(
            tenant=tenant,
            partner=partner,
            external_id=f"{tenant.slug.upper()}-PRICE-0001",
            date=day,
            product=product,
            quantity=Decimal("10"),
            amount=Decimal("950.00"),
            currency=tenant.currency,
            customer="Fourth Coffee",
        )
    registered = max(timezone.now() - timedelta(days=12), partner.created_at + timedelta(days=1))
    DealRegistration.objects.create(
        tenant=tenant,
        partner=partner,
        customer="Alpine Ski House",
        customer_key=normalise_customer("Alpine Ski House"),
        product=PRODUCTS.get(tenant.slug, ["Demo product"])[0],
        expected_amount=Decimal("520.00"),  # the list price is 900; no tier's band goes below 630
        currency=tenant.currency,
        status=DealStatus.PENDING,
        registered_at=registered,
        expires_at=registered + timedelta(days=90),
    )

"""Each statement of ``prm/currency/queries.py`` returns what the ORM returns for the same question,
on a small channel of two tenants (the other tenant's sales and rates stay out)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db.models import Count, Min, Q, Sum

from partners.models import Sale
from prm.currency.queries import per_partner_and_currency
from prm.tenancy.context import tenant_context
from tests.factories import ExchangeRateFactory, PartnerFactory, SaleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(tenant, other_tenant):
    with tenant_context(other_tenant.pk):
        elsewhere = PartnerFactory(tenant=other_tenant)
        ExchangeRateFactory(tenant=other_tenant, currency="GBP", date=date(2026, 1, 1), rate=D("2"))
        SaleFactory(
            tenant=other_tenant, partner=elsewhere, amount=D("70"), currency="GBP", date=date(2026, 7, 1)
        )
    with tenant_context(tenant.pk):
        one, two = PartnerFactory(tenant=tenant), PartnerFactory(tenant=tenant)
        # USD is 0.90 from January and 0.80 from August; no rate for GBP (the other tenant's is not ours)
        ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 1, 1), rate=D("0.90"))
        ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 8, 1), rate=D("0.80"))
        for partner, amount, currency, day in [
            (one, "1000", "USD", date(2026, 7, 15)),
            (one, "1000", "USD", date(2026, 8, 15)),
            (one, "400", "USD", date(2025, 12, 20)),  # before the first USD rate
            (one, "500", "EUR", date(2026, 9, 15)),  # the tenant's own currency
            (two, "-200", "USD", date(2026, 9, 1)),  # a return
            (two, "300", "GBP", date(2026, 9, 3)),
            (two, "100", "GBP", date(2026, 8, 3)),
        ]:
            SaleFactory(tenant=tenant, partner=partner, amount=D(amount), currency=currency, date=day)
    return one, two


def orm_per_partner_and_currency(sales, tenant) -> list[dict]:
    converted, missing = Q(converted__isnull=False), Q(converted__isnull=True)
    rows = (
        sales.values("partner_id", "currency")
        .annotate(
            total=Sum("amount", filter=converted),
            in_home=Sum("converted"),
            missing=Count("id", filter=missing),
            first_missing=Min("date", filter=missing),
        )
        .order_by("partner_id", "currency")
    )
    return [
        {**row, "first_missing": row["first_missing"] and row["first_missing"].isoformat()} for row in rows
    ]


def test_per_partner_and_currency_is_what_the_orm_aggregates(tenant, channel):
    one, two = channel
    with tenant_context(tenant.pk):
        sales = Sale.objects.for_tenant(tenant)
        rows = per_partner_and_currency(sales)
        assert rows == orm_per_partner_and_currency(sales, tenant)

    by_key = {(row["partner_id"], row["currency"]): row for row in rows}
    assert set(by_key) == {(one.pk, "EUR"), (one.pk, "USD"), (two.pk, "GBP"), (two.pk, "USD")}
    assert by_key[one.pk, "USD"] == {
        "partner_id": one.pk,
        "currency": "USD",
        "total": D("2000"),
        "in_home": D("1700"),
        "missing": 1,
        "first_missing": "2025-12-20",
    }
    assert (by_key[two.pk, "GBP"]["total"], by_key[two.pk, "GBP"]["in_home"]) == (None, None)
    assert (by_key[two.pk, "GBP"]["missing"], by_key[two.pk, "GBP"]["first_missing"]) == (2, "2026-08-03")
    assert by_key[two.pk, "USD"]["in_home"] == D("-160")


def test_per_partner_and_currency_of_no_sales_is_empty(tenant, channel):
    with tenant_context(tenant.pk):
        none = Sale.objects.for_tenant(tenant).filter(currency="JPY")
        assert per_partner_and_currency(none) == []

"""The exchange-rate table: added, imported all-or-nothing, never edited."""

import io
from decimal import Decimal

import pytest

from prm.currency.models import ExchangeRate
from prm.tenancy.choices import Role

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"


def test_finance_imports_rates_all_or_nothing_and_idempotently(api, tenant, member):
    finance = api(member(tenant, Role.FINANCE))
    good = "currency,date,rate\nUSD,2026-07-01,0.92\nGBP,2026-07-01,1.17\n"
    bad = good + "EUR,2026-07-02,1\nUSD,someday,-3\n"
    rejected = finance.post(
        f"{BASE}/exchange-rates/import/", {"file": io.BytesIO(bad.encode())}, format="multipart"
    )
    assert rejected.status_code == 400
    assert {(e["row"], e["field"]) for e in rejected.json()["errors"]} == {
        (4, "currency"),
        (5, "date"),
        (5, "rate"),
    }
    assert not ExchangeRate.objects.for_tenant(tenant).exists()
    first = finance.post(
        f"{BASE}/exchange-rates/import/", {"file": io.BytesIO(good.encode())}, format="multipart"
    )
    assert first.json() == {"created": 2, "unchanged": 0}
    again = finance.post(
        f"{BASE}/exchange-rates/import/", {"file": io.BytesIO(good.encode())}, format="multipart"
    )
    assert again.json() == {"created": 0, "unchanged": 2}
    changed = "currency,date,rate\nUSD,2026-07-01,0.95\n"
    refused = finance.post(
        f"{BASE}/exchange-rates/import/", {"file": io.BytesIO(changed.encode())}, format="multipart"
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "rate"
    assert ExchangeRate.objects.for_tenant(tenant).get(currency="USD").rate == Decimal("0.92")


def test_a_channel_manager_cannot_change_rates(api, tenant, member):
    response = api(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"{BASE}/exchange-rates/", {"currency": "USD", "date": "2026-07-01", "rate": "0.9"}, format="json"
    )
    assert response.status_code == 403


def test_the_programme_currency_needs_no_rate(api, tenant, member):
    response = api(member(tenant, Role.FINANCE)).post(
        f"{BASE}/exchange-rates/", {"currency": "eur", "date": "2026-07-01", "rate": "1"}, format="json"
    )
    assert response.status_code == 400 and "currency" in response.json()

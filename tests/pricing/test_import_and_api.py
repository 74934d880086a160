"""The price list: imported from CSV all or nothing with errors by row and field, idempotent; read
through the API and the page, a partner user seeing its own tier's terms only; another tenant's
price is 404."""

import io

import pytest

from pricing.models import ListPrice, TierTerms
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from tests.factories import ListPriceFactory, PartnerFactory, TierTermsFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha/prices"
HEADER = "product,currency,valid_from,valid_to,list_price,tier,max_discount,minimum_price\n"
GOOD = (
    HEADER
    + "RX-200,EUR,2026-01-01,2026-06-30,1000.00,A,25,650\n"
    + "RX-200,EUR,2026-01-01,2026-06-30,1000.00,B,20,700\n"
    + "RX-200,EUR,2026-07-01,,1100.00,B,20,770\n"
    + "RX-200,USD,2026-01-01,,1200,,,\n"
)


def upload(text, name="prices.csv"):
    file = io.BytesIO(text.encode())
    file.name = name
    return {"file": file}


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def test_an_import_writes_prices_and_terms_once(api, manager, tenant):
    # when
    first = api(manager).post(f"{BASE}/import/", upload(GOOD), format="multipart")
    again = api(manager).post(f"{BASE}/import/", upload(GOOD), format="multipart")

    # then
    assert first.status_code == 200, first.content
    assert first.json() == {"created": 6, "unchanged": 0}
    assert again.json() == {"created": 0, "unchanged": 6}
    assert ListPrice.objects.for_tenant(tenant).count() == 3
    assert TierTerms.objects.for_tenant(tenant).count() == 3
    assert AuditEntry.objects.for_tenant(tenant).filter(action="price_list.imported").count() == 1


def test_a_changed_price_is_updated_in_place(api, manager, tenant):
    api(manager).post(f"{BASE}/import/", upload(GOOD), format="multipart")
    changed = GOOD.replace(
        "RX-200,EUR,2026-07-01,,1100.00,B,20,770", "RX-200,EUR,2026-07-01,,1150.00,B,15,800"
    )

    answer = api(manager).post(f"{BASE}/import/", upload(changed), format="multipart")

    assert answer.json() == {"created": 2, "unchanged": 4}
    price = ListPrice.objects.for_tenant(tenant).get(currency="EUR", list_price="1150.00")
    assert [
        (t.tier, str(t.max_discount), str(t.minimum_price))
        for t in TierTerms.objects.for_tenant(tenant).filter(price=price)
    ] == [("B", "15.00", "800.00")]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("RX-200,EUR,2026-13-01,,1000,A,20,700", "valid_from"),
        ("RX-200,EURO,2026-01-01,,1000,A,20,700", "currency"),
        ("RX-200,EUR,2026-01-01,,0,A,20,700", "list_price"),
        ("RX-200,EUR,2026-01-01,,1000,E,20,700", "tier"),
        ("RX-200,EUR,2026-01-01,,1000,A,120,700", "max_discount"),
        ("RX-200,EUR,2026-01-01,,1000,A,20,-1", "minimum_price"),
        ("RX-200,EUR,2026-01-01,2025-12-31,1000,A,20,700", "valid_to"),
        (",EUR,2026-01-01,,1000,A,20,700", "product"),
        ("RX-200,EUR,2026-01-01,,1000,,20,", "tier"),
    ],
)
def test_a_bad_row_imports_nothing_and_names_its_row_and_field(api, manager, tenant, row, field):
    # given: a good row first, the bad one on line 3
    text = HEADER + "RX-100,EUR,2026-01-01,,500,A,10,400\n" + row + "\n"

    answer = api(manager).post(f"{BASE}/import/", upload(text), format="multipart")

    assert answer.status_code == 400
    assert {"row": 3, "field": field} in [
        {"row": e["row"], "field": e["field"]} for e in answer.json()["errors"]
    ]
    assert not ListPrice.objects.for_tenant(tenant).exists()


def test_overlapping_validities_are_refused_also_against_stored_prices(api, manager, tenant):
    api(manager).post(f"{BASE}/import/", upload(GOOD), format="multipart")
    overlapping = HEADER + "RX-200,EUR,2026-06-01,,990,A,20,700\n"

    answer = api(manager).post(f"{BASE}/import/", upload(overlapping), format="multipart")

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["row"] == 2 and answer.json()["errors"][0]["field"] == "valid_from"
    assert ListPrice.objects.for_tenant(tenant).count() == 3


def test_a_row_repeating_a_tier_or_disagreeing_on_the_price_is_refused(api, manager):
    text = HEADER + "RX-200,EUR,2026-01-01,,1000,A,20,700\nRX-200,EUR,2026-01-01,,1000,A,25,650\n"
    text += "RX-200,EUR,2026-01-01,,999,B,25,650\n"

    errors = api(manager).post(f"{BASE}/import/", upload(text), format="multipart").json()["errors"]

    assert [(e["row"], e["field"]) for e in errors] == [(3, "tier"), (4, "list_price")]


def test_a_partner_user_reads_its_own_tiers_terms_only(api, tenant, partner_user, manager):
    # given: a price with terms for A and B; a B partner's user
    price = ListPriceFactory(tenant=tenant, product="RX-200")
    TierTermsFactory(tenant=tenant, price=price, tier="A", minimum_price="650")
    TierTermsFactory(tenant=tenant, price=price, tier="B", minimum_price="700", max_discount="20")
    user = partner_user(tenant, partner=PartnerFactory(tenant=tenant, stage="signed", computed_tier="B"))
    untiered = partner_user(tenant, partner=PartnerFactory(tenant=tenant, stage="signed"))

    # then
    mine = api(user).get(f"{BASE}/").json()["results"]
    assert [t["tier"] for t in mine[0]["terms"]] == ["B"]
    assert mine[0]["terms"][0] == {
        "tier": "B",
        "max_discount": "20.00",
        "band_floor": "800.00",
        "minimum_price": "700.00",
    }
    assert api(user).get(f"{BASE}/{price.pk}/").json()["terms"][0]["tier"] == "B"
    assert api(untiered).get(f"{BASE}/").json()["results"][0]["terms"] == []
    assert [t["tier"] for t in api(manager).get(f"{BASE}/").json()["results"][0]["terms"]] == ["A", "B"]
    assert api(user).post(f"{BASE}/import/", upload(GOOD), format="multipart").status_code == 403


def test_another_tenants_price_is_404_and_filters_apply(api, manager, tenant, other_tenant):
    theirs = ListPriceFactory(tenant=other_tenant)
    ListPriceFactory(tenant=tenant, product="RX-200", currency="EUR")
    ListPriceFactory(tenant=tenant, product="Vision kit", currency="USD")

    assert api(manager).get(f"{BASE}/{theirs.pk}/").status_code == 404
    assert [p["product"] for p in api(manager).get(f"{BASE}/?q=rx").json()["results"]] == ["RX-200"]
    assert [p["product"] for p in api(manager).get(f"{BASE}/?currency=usd").json()["results"]] == [
        "Vision kit"
    ]
    assert api(manager).get(f"{BASE}/?currency=EURO").json()["count"] == 2


def test_the_page_shows_a_partner_its_tier_and_staff_every_tier_and_the_import(
    web, tenant, partner_user, manager
):
    price = ListPriceFactory(tenant=tenant, product="RX-200")
    TierTermsFactory(tenant=tenant, price=price, tier="A", minimum_price="650.00")
    TierTermsFactory(tenant=tenant, price=price, tier="B", minimum_price="700.00")
    user = partner_user(tenant, partner=PartnerFactory(tenant=tenant, stage="signed", computed_tier="B"))

    partner_page = web(user).get("/t/alpha/prices/")
    assert partner_page.status_code == 200
    body = partner_page.content.decode()
    assert "700.00" in body and "650.00" not in body and "your tier, B" in body
    assert web(user).post("/t/alpha/prices/import/", upload(GOOD)).status_code == 403

    staff_page = web(manager).get("/t/alpha/prices/").content.decode()
    assert "A: −20.00 % · 650.00" in staff_page and 'data-testid="price-import"' in staff_page

    refused = web(manager).post("/t/alpha/prices/import/", upload(HEADER + "RX-200,EUR,x,,1,,,\n"))
    assert refused.status_code == 400 and "valid_from" in refused.content.decode()
    done = web(manager).post("/t/alpha/prices/import/", upload(GOOD.replace("RX-200", "RX-900")))
    assert done.status_code == 302

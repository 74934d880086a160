"""Money is booked in a currency of ISO 4217: a sale in ``XXX`` (ISO's "no currency"), in gold or in
three made-up letters is refused, naming the field (the API) or the row and column (an import)."""

import io

import pytest
from django.core.exceptions import ValidationError

from partners.models import Sale
from partners.selling.sales import sale_create
from prm.currency.codes import CURRENCIES, currency_refusal
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory

BASE = "/api/v1/tenants/alpha"


@pytest.mark.parametrize("code", ["EUR", "USD", "BRL", "CNY", "XOF", "CHF"])
def test_currencies_people_are_paid_in_are_accepted(code):
    assert code in CURRENCIES and currency_refusal(code) is None


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("XXX", "XXX stands for no currency at all"),
        ("XTS", "XTS stands for testing only"),
        ("XAU", "XAU stands for gold"),
        ("XDR", "XDR stands for a unit of account"),
        ("ABC", "ABC is not an ISO 4217 currency code"),
    ],
)
def test_codes_that_are_no_currency_are_refused_with_their_reason(code, says):
    assert says in currency_refusal(code)


@pytest.mark.django_db
def test_the_api_refuses_a_sale_in_xxx_naming_the_field(api, tenant, member):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    body = {
        "external_id": "S-1",
        "partner": partner.pk,
        "date": "2026-08-03",
        "product": "Arm",
        "amount": "100.00",
    }
    client = api(member(tenant, Role.CHANNEL_MANAGER))

    response = client.post(f"{BASE}/sales/", {**body, "currency": "XXX"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["currency"]
    assert "no currency at all" in response.json()["currency"][0]
    assert client.post(f"{BASE}/sales/", {**body, "currency": "usd"}, format="json").status_code == 201


@pytest.mark.django_db
def test_the_service_refuses_a_sale_in_xxx(tenant):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    with tenant_context(tenant), pytest.raises(ValidationError) as refused:
        sale_create(
            tenant=tenant,
            partner=partner,
            external_id="S-1",
            date="2026-08-03",
            product="Arm",
            amount="100.00",
            currency="XXX",
        )
    assert list(refused.value.message_dict) == ["currency"]


@pytest.mark.django_db
def test_an_import_with_a_sale_in_xxx_names_the_row_and_imports_nothing(api, tenant, member):
    partner = PartnerFactory(tenant=tenant, name="Nordwind", stage="signed")
    rows = (
        "external_id,partner,date,product,amount,currency\n"
        f"A1,{partner.pk},2026-10-01,Arm,1200.50,EUR\n"
        f"A2,{partner.pk},2026-10-02,Arm,300,XXX\n"
        f"A3,{partner.pk},2026-10-03,Arm,300,QQQ\n"
    )
    response = api(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"{BASE}/sales/import/", {"file": io.BytesIO(rows.encode())}, format="multipart"
    )
    assert response.status_code == 400
    errors = {(e["row"], e["field"]): e["message"] for e in response.json()["errors"]}
    assert set(errors) == {(3, "currency"), (4, "currency")}
    assert "XXX stands for no currency at all" in errors[(3, "currency")]
    assert "QQQ is not an ISO 4217 currency code" in errors[(4, "currency")]
    with tenant_context(tenant):
        assert not Sale.objects.exists()


@pytest.mark.django_db
def test_a_deal_registered_in_xxx_is_refused(api, tenant, member):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    response = api(member(tenant, Role.CHANNEL_MANAGER)).post(
        f"{BASE}/deals/",
        {"partner": partner.pk, "customer": "Contoso", "expected_amount": "1000", "currency": "XXX"},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["currency"]

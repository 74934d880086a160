"""The installed base: warranty and service dates from the catalogue, reminders, sales they bring."""

import io
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from partners.programme.settings import programme_save
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from scorecards.models import ProductRegistration, ServiceReminder
from scorecards.services.installed_base import installed_base_daily
from tests.factories import PartnerFactory, ProductRegistrationFactory, ReferenceItemFactory, SaleFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"


@pytest.fixture
def catalogue(tenant):
    return ReferenceItemFactory(
        tenant=tenant, kind="product", name="RX-200 arm", warranty_months=24, service_months=12
    )


@pytest.fixture
def nordwind(tenant):
    return PartnerFactory(tenant=tenant, name="Nordwind", stage="signed")


def daily(tenant, today=None):
    with tenant_context(tenant):
        return installed_base_daily(tenant=tenant, today=today)


def test_a_registration_takes_its_warranty_and_service_dates_from_the_catalogue(
    api, tenant, catalogue, nordwind, partner_user
):
    day = timezone.localdate() - timedelta(days=400)
    body = (
        api(partner_user(tenant, partner=nordwind))
        .post(
            f"{BASE}/product-registrations/",
            {
                "customer": "Contoso",
                "product": "rx-200 ARM",
                "serial": "SN1",
                "date": day.isoformat(),
            },
            format="json",
        )
        .json()
    )

    assert body["product"] == "RX-200 arm"
    assert body["warranty_ends"] == (day + relativedelta(months=24)).isoformat()
    # a year of service passed already: the next one is the second
    assert body["next_service"] == (day + relativedelta(months=24)).isoformat()


def test_partners_and_consenting_customers_are_reminded_once_and_a_later_sale_counts(
    tenant, catalogue, nordwind, partner_user, member, mailoutbox, django_capture_on_commit_callbacks
):

    programme_save(tenant=tenant, actor=member(tenant, Role.ADMIN), values={"remind_end_customers": True})
    user = partner_user(tenant, partner=nordwind)
    today = timezone.localdate()
    due = ProductRegistrationFactory(
        tenant=tenant,
        partner=nordwind,
        customer="Contoso",
        product="RX-200 arm",
        next_service=today + timedelta(days=20),
        customer_email="buyer@contoso.example",
        customer_consent=True,
        customer_language="fr",
    )
    ProductRegistrationFactory(
        tenant=tenant,
        partner=nordwind,
        customer="Fabrikam",
        product="RX-200 arm",
        next_service=today + timedelta(days=20),
        customer_email="it@fabrikam.example",
    )  # no consent
    ProductRegistrationFactory(
        tenant=tenant, partner=nordwind, next_service=today + timedelta(days=200)
    )  # not yet

    with django_capture_on_commit_callbacks(execute=True):
        first = daily(tenant)
        second = daily(tenant)

    assert (first["reminders"], second["reminders"]) == (2, 0)
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([user.email, "buyer@contoso.example"])
    to_partner = next(m for m in mailoutbox if m.to == [user.email]).body
    assert "Contoso" in to_partner and "Fabrikam" in to_partner
    to_customer = next(m for m in mailoutbox if m.to == ["buyer@contoso.example"])
    assert "Nordwind" in to_customer.subject and due.serial in to_customer.body

    # the partner sells to Contoso after the reminder: the reminder counts as turned into a sale
    SaleFactory(tenant=tenant, partner=nordwind, customer="CONTOSO", date=today + timedelta(days=3))
    assert daily(tenant, today=today + timedelta(days=5))["converted"] == 1
    assert ServiceReminder.objects.for_tenant(tenant).get(registration=due).sale is not None


def test_a_passed_service_date_moves_on_by_the_products_interval(tenant, catalogue, nordwind):
    today = timezone.localdate()
    registered = today - relativedelta(months=12) - timedelta(days=3)
    registration = ProductRegistrationFactory(
        tenant=tenant,
        partner=nordwind,
        product="RX-200 arm",
        date=registered,
        next_service=registered + relativedelta(months=12),
    )

    assert daily(tenant)["services_rolled"] == 1
    registration.refresh_from_db()
    assert registration.next_service == registered + relativedelta(months=24)


def test_an_import_names_bad_rows_writes_nothing_then_creates_once(api, tenant, catalogue, nordwind, member):
    staff = api(member(tenant, Role.CHANNEL_MANAGER))

    def upload(text):
        file = io.BytesIO(text.encode())
        file.name = "registrations.csv"
        return staff.post(f"{BASE}/product-registrations/import/", {"file": file}, format="multipart")

    bad = upload(
        "partner,customer,product,serial,date\nNordwind,Contoso,RX-200 arm,S1,2026-01-10\n"
        "Nobody,Contoso,RX-200 arm,S2,\nNordwind,Initech,Toaster,S3,\n"
    )
    good = "partner,customer,product,serial,date\nNordwind,Contoso,RX-200 arm,S1,2026-01-10\n"
    first, again = upload(good), upload(good)

    assert bad.status_code == 400
    assert {(e["row"], e["field"]) for e in bad.json()["errors"]} == {(3, "partner"), (4, "product")}
    assert (first.json()["created"], again.json()["created"], again.json()["unchanged"]) == (1, 0, 1)
    stored = ProductRegistration.objects.for_tenant(tenant).get(serial="S1")
    assert stored.warranty_ends.isoformat() == "2028-01-10"


def test_the_partner_sees_its_installed_base_with_upcoming_dates(
    web, tenant, catalogue, nordwind, partner_user
):
    ProductRegistrationFactory(
        tenant=tenant,
        partner=nordwind,
        customer="Contoso",
        product="RX-200 arm",
        next_service=timezone.localdate() + timedelta(days=10),
    )
    ProductRegistrationFactory(tenant=tenant, customer="Someone else's", product="RX-200 arm")

    page = web(partner_user(tenant, partner=nordwind)).get("/t/alpha/installed-base/?due=90").content.decode()

    assert "Contoso" in page and "Someone else" not in page and 'data-testid="installed-base-summary"' in page

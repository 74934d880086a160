"""Price discipline's programme settings through the API, and its section of the partner page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pricing.programme import pricing_programme_for
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory, SaleFactory, TierTermsFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/tenants/alpha/programme/"


def test_the_settings_are_read_and_changed_through_programme(api, tenant, member):
    admin = api(member(tenant, Role.ADMIN))

    assert admin.get(URL).json()["below_minimum_earns"] is True
    assert admin.patch(URL, {"breach_days": 0}, format="json").status_code == 400
    changed = admin.patch(URL, {"below_minimum_earns": False, "breach_days": 30}, format="json")

    assert changed.status_code == 200, changed.content
    tenant.refresh_from_db()
    assert (pricing_programme_for(tenant).below_minimum_earns, pricing_programme_for(tenant).breach_days) == (
        False,
        30,
    )


def test_the_partner_page_lists_the_breaches_of_the_window(web, tenant, member):
    manager = member(tenant, Role.CHANNEL_MANAGER)
    partner = PartnerFactory(tenant=tenant, stage="signed", computed_tier="A", owner=manager)
    clean = PartnerFactory(tenant=tenant, stage="signed", computed_tier="A", owner=manager)
    TierTermsFactory(tenant=tenant, price__product="RX-200", tier="A", minimum_price=Decimal("700.00"))
    today = timezone.localdate()
    SaleFactory(tenant=tenant, partner=partner, product="RX-200", amount=Decimal("650.00"), date=today)
    SaleFactory(
        tenant=tenant,
        partner=partner,
        product="RX-200",
        amount=Decimal("10.00"),
        date=today - timedelta(days=95),
    )

    page = web(manager).get(f"/t/alpha/partners/{partner.pk}/").content.decode()
    page = page[page.index('data-testid="partner-price-breaches"') :].split("</section>")[0]
    quiet = web(manager).get(f"/t/alpha/partners/{clean.pk}/").content.decode()

    assert "1 sale below the minimum resale price" in page and "650.00 EUR" in page
    assert "10.00 EUR" not in page  # outside the 90 days
    assert "No sale below the minimum price" in quiet

"""A manager imports the price list in the browser and finds a partner's sale below its tier's
minimum on the partner's page; the partner's user reads the list with its own tier's terms only."""

from decimal import Decimal

import pytest
from django.utils import timezone

from prm.tenancy.choices import Role
from tests.factories import PartnerFactory, SaleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "product,currency,valid_from,valid_to,list_price,tier,max_discount,minimum_price\n"
    "RX-200,EUR,2026-01-01,,1000.00,A,25,650.00\n"
    "RX-200,EUR,2026-01-01,,1000.00,B,20,700.00\n"
)


def test_a_manager_imports_prices_and_sees_a_breach_and_the_partner_its_tier(
    browser, live_server, login, tenant, member, partner_user, tmp_path
):
    member(tenant, Role.CHANNEL_MANAGER, username="mia")
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed", computed_tier="B")
    SaleFactory(
        tenant=tenant, partner=partner, product="RX-200", amount=Decimal("600.00"), date=timezone.localdate()
    )
    pat = partner_user(tenant, partner)
    pat.username = "pat"
    pat.save()
    upload = tmp_path / "prices.csv"
    upload.write_text(CSV)

    manager = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    login(manager, "mia")
    manager.goto(f"/t/{tenant.slug}/prices/")
    manager.set_input_files("[data-testid=price-import] input[type=file]", str(upload))
    manager.click("[data-testid=price-import] button[type=submit]")
    manager.wait_for_load_state("networkidle")
    assert "B: −20.00 % · 700.00" in manager.locator("[data-testid=prices]").inner_text()
    manager.goto(f"/t/{tenant.slug}/partners/{partner.pk}/")
    breaches = manager.locator("[data-testid=partner-price-breaches]").inner_text()
    assert "1 sale below the minimum resale price" in breaches and "700.00 EUR" in breaches
    manager.context.close()

    partner_side = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    login(partner_side, "pat")
    partner_side.goto(f"/t/{tenant.slug}/prices/")
    listed = partner_side.locator("[data-testid=prices]").inner_text()
    assert "700.00" in listed and "650.00" not in listed and "800.00" in listed
    partner_side.context.close()

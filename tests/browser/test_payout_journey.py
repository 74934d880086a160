"""Journey: finance approves a computed payout run and exports it."""

from decimal import Decimal

import pytest

from incentives.models import PayoutRun
from incentives.services.rules import rule_create
from incentives.services.runs import payout_run_compute
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory, SaleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_approves_and_exports_a_run(page, login, tenant, member, tmp_path):
    # given: a computed draft run of 5% commission on 12 400.00
    manager = member(tenant, Role.CHANNEL_MANAGER)
    member(tenant, Role.FINANCE, username="fiona")
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed", payee_reference="V-1001")
    SaleFactory(tenant=tenant, partner=partner, date="2026-08-03", amount=Decimal("12400.00"), currency="EUR")
    with tenant_context(tenant):
        rule_create(
            tenant=tenant, actor=manager, name="Flat commission", kind="commission", params={"rate": "5"}
        )
        run = payout_run_compute(tenant=tenant, period="2026-Q3")

    # when finance opens the run and approves it
    login(page, "fiona")
    page.goto("/t/alpha/payouts/")
    page.click("text=2026-Q3")
    assert "5% of 12 400.00" in page.locator("[data-testid=lines]").inner_text()
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=approve]")
    page.wait_for_load_state("networkidle")

    # then the run is final and exports
    assert page.locator("[data-testid=run-status]").inner_text() == "Approved"
    with page.expect_download() as download:
        page.click("[data-testid=export-csv]")
    path = tmp_path / "payouts.csv"
    download.value.save_as(path)
    rows = path.read_text().splitlines()
    assert rows[0] == "partner_id,partner,payee_reference,rule,kind,amount,currency,period"
    assert rows[1] == f"{partner.pk},Nordwind Systems,V-1001,Flat commission,commission,620.00,EUR,2026-Q3"
    assert rows[2] == ",Total,,,,620.00,EUR,2026-Q3"
    with tenant_context(tenant):
        assert PayoutRun.objects.get(pk=run.pk).status == "exported"

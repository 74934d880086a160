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
    # and a sale by a partner not signed yet: a warning finance must check
    prospect = PartnerFactory(tenant=tenant, name="Prospect AG", stage="selection")
    SaleFactory(tenant=tenant, partner=prospect, date="2026-08-04", amount=Decimal("100.00"), currency="EUR")
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
    group = page.locator("[data-testid=warning-group]")
    assert "Sales by partners not signed yet" in group.inner_text()
    group.locator("[data-testid=acknowledge]").click()
    page.wait_for_load_state("networkidle")
    assert "Acknowledged by fiona" in page.locator("[data-testid=acknowledged]").inner_text()
    assert page.locator("input[name=acknowledge_warnings]").count() == 0
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
    assert rows[0] == "partner_id,partner,payee_reference,rule,kind,amount,currency,period,row"
    assert f"{partner.pk},Nordwind Systems,V-1001,Flat commission,commission,620.00,EUR,2026-Q3,line" in rows
    assert f"{partner.pk},Nordwind Systems,V-1001,Subtotal,,620.00,EUR,2026-Q3,subtotal" in rows
    assert rows[-1] == ",Total,,,,625.00,EUR,2026-Q3,total"  # and 5.00 for the prospect's sale

    # when finance marks it exported and records the bank's payments
    page.click("[data-testid=mark-exported]")
    page.wait_for_load_state("networkidle")
    with tenant_context(tenant):
        assert PayoutRun.objects.get(pk=run.pk).status == "exported"
    page.click("text=Record a payment")
    page.fill("[data-testid=payments] input[name=partner]", f"Nordwind Systems · #{partner.pk}")
    page.fill("[data-testid=payments] input[name=paid_on]", "2026-10-05")
    page.fill("[data-testid=payments] input[name=reference]", "SEPA-4711")
    page.click("[data-testid=payments] form[action$='/payments/'] button[type=submit]")
    page.wait_for_load_state("networkidle")

    # then the partner's row says when and how it was paid
    assert "Payment recorded." in page.locator(".messages").inner_text()
    assert "SEPA-4711" in page.locator(f"[data-testid=paid-{partner.pk}]").inner_text()
    assert "1 of 2 partners paid." in page.locator("[data-testid=paid-count]").inner_text()

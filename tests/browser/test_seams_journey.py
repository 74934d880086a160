"""Journeys where features meet: four eyes over a payout run, a partner withdrawing (not winning) its
own registration, and an MDF approval held to its budget."""

from decimal import Decimal

import pytest

from incentives.models import MdfRequest, PayoutRun
from incentives.services.rules import rule_create
from incentives.services.runs import payout_run_compute
from partners.models import DealRegistration
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import (
    DealRegistrationFactory,
    IncentiveRuleFactory,
    MdfRequestFactory,
    PartnerFactory,
    PartnerUserFactory,
    SaleFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(browser, live_server, login):
    """signed_in(username) -> a page of its own browser context, signed in as that user."""
    contexts = []

    def open_as(username):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        login(page, username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_an_adjustment_is_approved_by_someone_else_than_who_made_it(signed_in, tenant, member):
    # given: a draft run paying 5 % of 12 400.00, and two finance users
    manager = member(tenant, Role.CHANNEL_MANAGER)
    member(tenant, Role.FINANCE, username="fiona")
    member(tenant, Role.FINANCE, username="fabio")
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    SaleFactory(tenant=tenant, partner=partner, date="2026-08-03", amount=Decimal("12400.00"), currency="EUR")
    with tenant_context(tenant):
        rule_create(
            tenant=tenant, actor=manager, name="Flat commission", kind="commission", params={"rate": "5"}
        )
        run = payout_run_compute(tenant=tenant, period="2026-Q3")

    # when fiona adds an adjustment
    fiona = signed_in("fiona")
    fiona.goto(f"/t/alpha/payouts/{run.pk}/")
    fiona.fill("input[name=partner]", "Nordwind Systems")
    fiona.fill("input[name=amount]", "150.00")
    fiona.fill("input[name=reason]", "Late invoice")
    fiona.click("form[action$='/adjustments/'] button[type=submit]")
    fiona.wait_for_load_state("networkidle")

    # then the page offers her neither the approval nor the check of her own adjustment
    assert "Adjustment added." in fiona.locator(".messages").inner_text()
    assert (
        "someone else in finance checks and approves it"
        in fiona.locator("[data-testid=approve-by-another]").inner_text()
    )
    assert fiona.locator("[data-testid=approve]").count() == 0
    assert fiona.locator("[data-testid=acknowledge-by-another]").count() == 1
    assert fiona.locator("[data-testid=run-status]").inner_text() == "Draft"

    # when fabio checks the adjustment (its own warning) and approves
    fabio = signed_in("fabio")
    fabio.goto(f"/t/alpha/payouts/{run.pk}/")
    group = fabio.locator("[data-testid=warning-group][data-code=manual_adjustment]")
    assert "adjusted Nordwind Systems by 150.00 EUR: Late invoice" in group.inner_text()
    group.locator("[data-testid=acknowledge]").click()
    fabio.wait_for_load_state("networkidle")
    fabio.on("dialog", lambda dialog: dialog.accept())
    fabio.click("[data-testid=approve]")
    fabio.wait_for_load_state("networkidle")

    # then the run is final, with the adjustment in its total
    assert fabio.locator("[data-testid=run-status]").inner_text() == "Approved"
    with tenant_context(tenant):
        assert PayoutRun.objects.get(pk=run.pk).total == Decimal("770.00")


def test_a_partner_withdraws_its_pending_registration_and_cannot_win_it(signed_in, tenant):
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    PartnerUserFactory(tenant=tenant, partner=partner, membership__user__username="paula")
    deal = DealRegistrationFactory(
        tenant=tenant,
        partner=partner,
        customer="Acme Robotics",
        status="pending",
        expected_amount=Decimal("9000"),
    )

    paula = signed_in("paula")
    paula.goto("/t/alpha/deals/")
    assert paula.locator("[data-testid=deal-close]").count() == 0  # winning is the vendor's act
    paula.click("[data-testid=deal-withdraw] button")
    paula.wait_for_load_state("networkidle")

    assert "Registration withdrawn" in paula.locator(".messages").inner_text()
    assert "Withdrawn" in paula.locator("[data-testid=deals]").inner_text()
    with tenant_context(tenant):
        assert DealRegistration.objects.get(pk=deal.pk).status == "withdrawn"


def test_an_mdf_request_over_the_budget_is_refused_with_the_figures(signed_in, tenant, member):
    member(tenant, Role.CHANNEL_MANAGER, username="maria")
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed", computed_tier="B")
    rule = IncentiveRuleFactory(tenant=tenant, kind="mdf", name="Marketing funds", params={"budget": "1000"})
    request = MdfRequestFactory(
        tenant=tenant, partner=partner, rule=rule, period="2026-Q3", amount=Decimal("50000")
    )

    maria = signed_in("maria")
    maria.goto("/t/alpha/mdf/?period=2026-Q3")
    budget = maria.locator("[data-testid=mdf-budget]").first
    assert "1,000.00" in budget.locator("[data-testid=budget]").inner_text()
    maria.click("[data-testid=mdf-requests] button[name=approve][value='1']")
    maria.wait_for_load_state("networkidle")

    message = maria.locator(".messages").inner_text()
    assert "this request asks 50,000.00" in message and "1,000.00 remains" in message
    with tenant_context(tenant):
        assert MdfRequest.objects.get(pk=request.pk).status == "requested"

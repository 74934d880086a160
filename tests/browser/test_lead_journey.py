"""Journey: a lead offered to a partner is accepted and converted into its deal registration."""

import pytest

from leads.services.distribution import lead_create
from prm.tenancy.context import tenant_context
from tests.factories import LeadRuleFactory, PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_accepts_a_lead_and_converts_it_into_a_deal(page, login, tenant, partner_user):
    # given: a rule, and a lead the rule offers to Nordwind
    LeadRuleFactory(tenant=tenant, name="Region")
    mine = PartnerFactory(
        tenant=tenant, name="Nordwind Systems", stage="signed", region="North", computed_tier="A"
    )
    with tenant_context(tenant):
        lead = lead_create(tenant=tenant, customer="Umbrella SA", region="North", expected_amount=9000)
    user = partner_user(tenant, partner=mine)
    user.username = "nordwind"
    user.save()

    # when: the partner opens its leads, accepts the lead and converts it
    login(page, "nordwind")
    page.click("nav >> text=Leads")
    page.click("[data-testid=leads] >> text=Umbrella SA")
    page.click("[data-testid=lead-accept]")
    status_after_accept = page.locator("[data-testid=lead-status]").inner_text()
    page.click("[data-testid=lead-convert]")

    # then: the deal registrations page lists the new registration
    assert status_after_accept == "Accepted"
    assert "Umbrella SA" in page.locator("[data-testid=deals]").inner_text()
    lead.refresh_from_db()
    assert lead.status == "converted" and lead.deal.partner == mine

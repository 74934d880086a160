"""A partner raises a request to its channel manager, the manager answers from the queue, and the
partner reads the answer in its history."""

import pytest

from prm.tenancy.choices import Role
from tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_raises_a_request_and_reads_the_managers_answer(
    browser, live_server, login, tenant, member, partner_user
):
    mia = member(tenant, Role.CHANNEL_MANAGER, username="mia")
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", owner=mia)
    pat = partner_user(tenant, partner)
    pat.username = "pat"
    pat.save()

    partner_side = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    login(partner_side, "pat")
    partner_side.goto(f"/t/{tenant.slug}/requests/")
    partner_side.select_option("select[name=category]", "request")
    partner_side.fill("input[name=subject]", "Demo licences for the trade fair")
    partner_side.fill("textarea[name=text]", "We need five demo licences for March.")
    partner_side.click("[data-testid=raise-request] button[type=submit]")
    partner_side.wait_for_load_state("networkidle")
    assert (
        "We need five demo licences for March." in partner_side.locator("[data-testid=thread]").inner_text()
    )
    partner_side.goto(f"/t/{tenant.slug}/requests/")
    assert "Demo licences for the trade fair" in partner_side.locator("[data-testid=requests]").inner_text()

    manager_side = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    login(manager_side, "mia")
    manager_side.goto(f"/t/{tenant.slug}/requests/queue/")
    manager_side.click("text=Demo licences for the trade fair")
    manager_side.fill("[data-testid=reply] textarea[name=text]", "Five licences are on their way.")
    manager_side.click("[data-testid=reply] button[type=submit]")
    manager_side.wait_for_load_state("networkidle")
    assert "Answered" in manager_side.locator("[data-testid=request-status]").inner_text()

    partner_side.goto(f"/t/{tenant.slug}/requests/")
    partner_side.click("text=Demo licences for the trade fair")
    assert "Five licences are on their way." in partner_side.locator("[data-testid=thread]").inner_text()
    partner_side.context.close()
    manager_side.context.close()

"""The error pages in Chromium: 403, 404 and 500 in the portal's frame and the reader's language,
each with a way on; the API's errors stay JSON."""

import json

import pytest

from prm.portal.views import DashboardView
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_user_refused_its_partners_record_finds_its_way_back(page, login, tenant, partner_user):
    # given a partner user of Nordwind, on its dashboard
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    user = partner_user(tenant, partner=nordwind)
    login(page, user.username)

    # when it opens its partner's staff record
    response = page.goto(f"/t/alpha/partners/{nordwind.pk}/")

    # then the portal says so in its own frame, with the menu and a way back
    assert response.status == 403
    assert page.locator("[data-testid=error-page] h1").inner_text() == "This page is not open to you"
    assert (
        "Your role in Alpha Robotics, Partner user" in page.locator("[data-testid=error-page]").inner_text()
    )
    assert page.locator("nav.sidenav a").count() >= 2
    page.click("[data-testid=error-dashboard]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/t/alpha/")


def test_an_unknown_record_is_a_404_page_in_the_readers_language(browser, live_server, login, tenant, member):
    # given a manager whose browser asks for French
    member(tenant, Role.CHANNEL_MANAGER, username="mia")
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    try:
        login(page, "mia")

        # when she opens a record that does not exist
        response = page.goto("/t/alpha/partners/999999/")

        # then the page is the portal's, in French, and leads to the dashboard
        assert response.status == 404
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("[data-testid=error-page]").get_attribute("data-status") == "404"
        assert "Tableau de bord" in page.locator("nav.sidenav").inner_text()
        assert page.locator("[data-testid=error-dashboard]").get_attribute("href") == "/t/alpha/"
    finally:
        context.close()


def test_a_failing_page_is_the_500_page_with_a_way_on(page, login, tenant, member, monkeypatch):
    member(tenant, Role.ADMIN, username="ada")
    login(page, "ada")
    monkeypatch.setattr(DashboardView, "get_context_data", lambda *a, **k: 1 / 0)

    response = page.goto("/t/alpha/")

    assert response.status == 500
    text = page.locator("[data-testid=error-page]").inner_text()
    assert "Something went wrong on our side" in text
    assert "ZeroDivisionError" not in page.content()
    assert page.locator("[data-testid=error-dashboard]").count() == 1


def test_the_api_answers_json_not_a_page(page, login, tenant, member):
    member(tenant, Role.ADMIN, username="ada")
    login(page, "ada")

    response = page.goto("/api/v1/tenants/alpha/no-such-thing/")

    assert response.status == 404
    assert response.headers["content-type"].startswith("application/json")
    assert json.loads(response.text()) == {"detail": "Not found."}

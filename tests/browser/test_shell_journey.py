"""Journey: a demo user signs in, sees the dashboard, and watches a job finish."""

import pytest

from prm.tenancy.choices import Role
from tests.factories import MembershipFactory, PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_signs_in_sees_the_dashboard_and_runs_a_job(page, login, tenant, other_tenant, member):
    # given
    admin = member(tenant, Role.ADMIN, username="ada")
    MembershipFactory(user=admin, tenant=other_tenant, role=Role.CHANNEL_MANAGER)
    PartnerFactory.create_batch(2, tenant=tenant)
    # when
    login(page, "ada")
    # then
    assert page.url.endswith("/t/alpha/")
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.locator(".brand-name").inner_text() == "Alpha Robotics"
    page.click("text=Count this programme's records")
    page.wait_for_selector("[data-testid=job-progress][data-status=succeeded]")
    assert "Partners" in page.locator("[data-testid=job-progress]").inner_text()

    # and the tenant switcher takes the consultant to the other programme
    page.click("[data-testid=tenant-switcher] summary")
    page.click("text=Beta Software")
    assert page.url.endswith("/t/beta/")
    assert page.locator(".brand-name").inner_text() == "Beta Software"


def test_a_wrong_password_shows_an_error(page, login, tenant, member):
    member(tenant, Role.FINANCE, username="fred")
    login(page, "fred", password="not-it")
    assert "/accounts/login/" in page.url
    assert page.locator(".form-errors").is_visible()

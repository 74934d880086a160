"""Journey: an admin finds a section from the table of contents, saves it alone, and follows a
setting's "Used by" link to the page that uses it."""

import pytest

from scorecards.programme import scorecard_programme_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_saves_one_section_and_follows_where_a_setting_is_used(page, login, tenant, member):
    admin = member(tenant, "admin")
    admin.username = "ada"
    admin.save()

    login(page, "ada")
    page.goto(f"/t/{tenant.slug}/programme/")
    page.click("[data-testid=programme-toc] >> text=Scorecards")
    assert page.url.endswith("#programme-scorecards")

    form = page.locator("[data-testid=programme-scorecards-form]")
    form.locator("input[name=attainment_cap]").fill("130")
    form.locator("button[type=submit]").click()

    assert "Scorecards: settings saved." in page.content()
    assert page.url.endswith("#programme-scorecards")
    tenant.refresh_from_db()
    assert scorecard_programme_for(tenant).attainment_cap == 130
    assert set(tenant.programme_settings) == {"scorecards"}

    page.locator("#programme-incentives .used-by >> text=Payout runs").first.click()
    assert page.url.endswith(f"/t/{tenant.slug}/payouts/")

"""Journey: a manager grants an award to a partner's person with a citation; the partner's user finds
it on *My programme* and its admin states the partner's reward preferences, which the manager then
reads on the partner page; the award's badge is on the public finder until it is revoked."""

import pytest

from prm.tenancy.context import tenant_context
from rewards.preferences.selectors import preferred_kinds
from rewards.recognition.models import Award
from tests.factories import PartnerFactory, PartnerUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_award_preferences_and_revocation(page, login, tenant, member):
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="certified")
    link = PartnerUserFactory(
        tenant=tenant,
        partner=nordwind,
        is_partner_admin=True,
        membership__user__username="nordwind",
        membership__user__first_name="Nora",
        membership__user__last_name="Wind",
    )
    manager = member(tenant, "channel_manager")
    manager.username = "maria"
    manager.save()

    # the manager grants Service excellence to Nora of Nordwind
    login(page, "maria")
    page.click("nav >> text=Awards")
    page.select_option("#id_category", label="Service excellence")
    page.fill("#id_period", "2026-Q3")
    page.select_option("#id_partner", label="Nordwind Systems")
    page.select_option("#id_person", value=str(link.pk))
    page.fill("#id_citation", "Answered every escalation within the day.")
    page.click("text=Grant and announce")
    assert "granted to Nordwind Systems" in page.locator(".messages").inner_text()
    assert "Nora Wind" in page.locator("[data-testid=awards]").inner_text()

    # the partner's admin sees it on My programme and states its preferences
    page.context.clear_cookies()
    login(page, "nordwind")
    page.click("nav >> text=My programme")
    assert "Service excellence 2026-Q3" in page.locator("[data-testid=partner-awards]").inner_text()
    page.click("nav >> text=Reward preferences")
    page.select_option("#id_first", "training")
    page.select_option("#id_second", "points")
    page.click("button:has-text('Save')")
    assert "Your reward preferences are saved." in page.locator(".messages").inner_text()
    with tenant_context(tenant):
        assert preferred_kinds(nordwind) == ["training", "points"]

    # the public finder shows the badge
    page.context.clear_cookies()
    page.goto(f"/find-a-partner/{tenant.slug}/")
    assert "Nordwind Systems" in page.locator("[data-testid=finder-awards]").inner_text()

    # the manager reads the preferences on the partner page and revokes the award
    login(page, "maria")
    page.goto(f"/t/{tenant.slug}/partners/{nordwind.pk}/")
    prefs = page.locator("[data-testid=partner-reward-preferences]").inner_text()
    assert prefs.index("Training") < prefs.index("Points")
    page.goto(f"/t/{tenant.slug}/rewards/awards/")
    with tenant_context(tenant):
        award = Award.objects.for_tenant(tenant).get()
    page.fill(f"#reason-{award.pk}", "Granted to the wrong person")
    page.click(f"[data-testid=award-{award.pk}] button:has-text('Revoke')")
    assert "revoked" in page.locator(f"[data-testid=award-{award.pk}]").inner_text()
    page.goto(f"/find-a-partner/{tenant.slug}/")
    assert page.locator("[data-testid=finder-awards]").count() == 0

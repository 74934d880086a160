"""Journey: a partner spends its points on the Rewards page; a manager approves the redemption from
the queue and records its shipping; the partner reads where it is."""

import pytest

from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from rewards.catalogue.services.grants import redemption_grant
from tests.factories import PartnerFactory, PointsEntryFactory, RewardItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_redeems_points_and_the_manager_fulfils_it(page, login, tenant, member, partner_user):
    # given: Nordwind holds 65 points; the catalogue has a 60-point exam voucher
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems", computed_tier="B")
    PointsEntryFactory(tenant=tenant, partner=nordwind, points=65, reason="Partner club points")
    RewardItemFactory(tenant=tenant, name="Exam voucher", kind="training_seat", points=60, stock=2)
    user = partner_user(tenant, partner=nordwind)
    user.username = "nordwind"
    user.save()
    manager = member(tenant, Role.CHANNEL_MANAGER)
    manager.username = "mia"
    manager.save()

    # when: the partner redeems the voucher from its Rewards page
    login(page, "nordwind")
    page.click(f"nav a[href='/t/{tenant.slug}/rewards/']")
    balance_before = page.locator("[data-testid=balance] h2").inner_text()
    reward = page.locator("[data-testid=reward]", has_text="Exam voucher")
    reward.locator("input[name=note]").fill("Exam in Hamburg, March")
    reward.locator("button[type=submit]").click()
    balance_after = page.locator("[data-testid=balance] h2").inner_text()
    page.context.clear_cookies()

    # and the manager approves it from the queue, then records the order and the shipping
    login(page, "mia")
    page.goto(f"/t/{tenant.slug}/rewards/redemptions/")
    page.locator("[data-testid=queue]").get_by_role("button", name="Approve").click()
    page.locator("[data-testid=fulfilment] a").first.click()
    page.select_option("select[name=status]", "ordered")
    page.click("text=Record")
    page.select_option("select[name=status]", "shipped")
    page.fill("input[name=note]", "Voucher code sent by e-mail")
    page.click("text=Record")
    # and, a contest's prize waiting for a trip, adds one to the stock: the waiting prize takes it
    trip = RewardItemFactory(tenant=tenant, name="Summit trip", kind="travel", points=900, stock=0)
    with tenant_context(tenant):
        prize = redemption_grant(PartnerFactory(tenant=tenant), trip, "Contest: Summit trip", actor=manager)
    page.goto(f"/t/{tenant.slug}/rewards/catalogue/{trip.pk}/")
    waiting = page.locator("[data-testid=waiting-prizes]").inner_text()
    page.fill("input[name=stock]", "1")
    page.get_by_role("button", name="Save").click()
    page.context.clear_cookies()

    # then: the partner sees it shipped, with the note
    login(page, "nordwind")
    page.goto(f"/t/{tenant.slug}/rewards/")
    page.locator("[data-testid=my-redemptions] a").first.click()

    assert balance_before == "Points to spend: 65"
    assert balance_after == "Points to spend: 5"
    assert waiting.startswith("1 prize waits for stock")
    with tenant_context(tenant):
        prize.refresh_from_db()
    assert not prize.waits_for_stock
    assert page.locator("[data-testid=status]").inner_text() == "Shipped or booked"
    assert "Voucher code sent by e-mail" in page.locator("[data-testid=redemption]").inner_text()

"""Journey: a partner finds its rank in a running contest (the others anonymised), and a manager
closes an ended contest, which awards its prize."""

import datetime
from decimal import Decimal

import pytest

from prm.tenancy.context import tenant_context
from rewards.contests.models import ContestAward
from rewards.contests.services import contest_save
from rewards.preferences.models import RewardPreference
from tests.factories import PartnerFactory, SaleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date.today()


def _seller(tenant, name, before, now):
    partner = PartnerFactory(tenant=tenant, name=name, stage="signed", computed_tier="A")
    sold = TODAY - datetime.timedelta(days=3)
    SaleFactory(tenant=tenant, partner=partner, date=sold, amount=Decimal(now), currency=tenant.currency)
    SaleFactory(
        tenant=tenant,
        partner=partner,
        date=sold.replace(year=sold.year - 1, day=min(sold.day, 28)),
        amount=Decimal(before),
        currency=tenant.currency,
    )
    return partner


def _contest(tenant, manager, name, ends_on, **fields):
    with tenant_context(tenant):
        return contest_save(
            tenant=tenant,
            actor=manager,
            name=name,
            starts_on=TODAY - datetime.timedelta(days=20),
            ends_on=ends_on,
            measure="growth",
            prizes=[
                {"label": "Trip to Lisbon", "basis": "rank", "rank_from": 1, "kind": "points", "points": 800}
            ],
            **fields,
        )


def test_partner_sees_its_rank_and_manager_closes_a_contest(page, login, tenant, member, partner_user):
    mine = _seller(tenant, "Nordwind Systems", 1000, 1500)
    leader = _seller(tenant, "Brightline", 1000, 3000)
    manager = member(tenant, "channel_manager")
    manager.username = "maria"
    manager.save()
    user = partner_user(tenant, partner=mine)
    user.username = "nordwind"
    user.save()
    _contest(tenant, manager, "Growth race", TODAY + datetime.timedelta(days=20), for_preferences=["points"])
    with tenant_context(tenant):  # Nordwind's admin said it prefers points
        RewardPreference.objects.for_tenant(tenant).create(tenant=tenant, partner=mine, kinds=["points"])
    ended = _contest(tenant, manager, "Spring sprint", TODAY - datetime.timedelta(days=1))

    # the partner: its contests, its rank, the leader anonymised
    login(page, "nordwind")
    page.click("nav >> text=Contests")
    assert "For you" in page.locator("[data-testid=contests] tr", has_text="Growth race").inner_text()
    page.click("[data-testid=contests] >> text=Growth race")
    own = page.locator("[data-testid=own-standing]").inner_text()
    board = page.locator("[data-testid=leaderboard]").inner_text()
    assert "Rank 2 of 2" in own and "Trip to Lisbon" in own
    assert "Partner #1" in board and "Brightline" not in board and "Nordwind Systems" in board

    # the manager closes the ended contest
    page.context.clear_cookies()
    login(page, "maria")
    page.goto(f"/t/{tenant.slug}/rewards/contests/{ended.pk}/")
    page.click("[data-testid=close-contest]")
    assert page.locator("[data-testid=contest-status]").inner_text() == "Closed"
    assert "Brightline" in page.locator("[data-testid=awards]").inner_text()
    with tenant_context(tenant):
        assert list(ContestAward.objects.for_tenant(tenant).values_list("partner_id", flat=True)) == [
            leader.pk
        ]

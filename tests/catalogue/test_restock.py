"""Prizes that wait for stock take it when it arrives: a manager adding stock (page or API) or a
cancelled redemption giving some back serves them at once, the oldest first, each once, audited."""

import pytest

from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from rewards.catalogue.models import Redemption, RewardItem
from rewards.catalogue.services.grants import redemption_grant
from rewards.catalogue.services.items import reward_save
from rewards.catalogue.services.redemptions import (
    redemption_cancel,
    redemption_fulfil,
    redemption_request,
)
from tests.factories import PartnerFactory, PointsEntryFactory, RewardItemFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/tenants/alpha"


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def three_waiting(tenant, manager, item):
    """Three prizes granted out of stock, oldest first: Alpha, Bravo, Charlie."""
    with tenant_context(tenant):
        return [
            redemption_grant(PartnerFactory(tenant=tenant, name=name), item, "Contest: Trip", actor=manager)
            for name in ("Alpha", "Bravo", "Charlie")
        ]


def waiting_and_stock(tenant, item):
    with tenant_context(tenant):
        rows = Redemption.objects.for_tenant(tenant).order_by("created_at", "pk")
        return [r.waits_for_stock for r in rows], RewardItem.objects.for_tenant(tenant).get(pk=item.pk).stock


def test_stock_added_through_the_api_serves_the_oldest_waiting_prizes_first_once(api, tenant, manager):
    item = RewardItemFactory(tenant=tenant, name="Trip", points=900, stock=0)
    prizes = three_waiting(tenant, manager, item)

    answer = api(manager).patch(f"{API}/rewards/{item.pk}/", {"stock": 2}, format="json")

    assert answer.status_code == 200 and answer.json()["stock"] == 0
    assert waiting_and_stock(tenant, item) == ([False, False, True], 0)
    # an edit that adds nothing serves nothing more
    api(manager).patch(f"{API}/rewards/{item.pk}/", {"name": "Trip to Lisbon"}, format="json")
    assert waiting_and_stock(tenant, item) == ([False, False, True], 0)
    entries = AuditEntry.objects.for_tenant(tenant).filter(action="redemption.stocked").order_by("pk")
    assert [e.target_id for e in entries] == [str(prizes[0].pk), str(prizes[1].pk)]
    assert entries[0].changes == {"waits_for_stock": [True, False], "stock": [2, 1]}
    served = api(manager).get(f"{API}/redemptions/{prizes[0].pk}/").json()
    assert served["waits_for_stock"] is False and served["status"] == "approved"


def test_stock_added_on_the_reward_page_serves_a_waiting_prize_then_it_is_fulfilled(web, tenant, manager):
    item = RewardItemFactory(tenant=tenant, name="Trip", points=900, stock=0)
    first, *_rest = three_waiting(tenant, manager, item)
    with tenant_context(tenant):
        reward_save(tenant=tenant, actor=manager, item=item, stock=1)
        ordered = redemption_fulfil(redemption=first, actor=manager, status="ordered")

    page = web(manager).get(f"/t/alpha/rewards/catalogue/{item.pk}/").content.decode()

    assert ordered.status == "ordered" and not ordered.waits_for_stock
    assert waiting_and_stock(tenant, item) == ([False, True, True], 0)
    assert "2 prizes wait for stock" in page


def test_unlimited_stock_serves_every_waiting_prize(tenant, manager):
    item = RewardItemFactory(tenant=tenant, name="Trip", points=900, stock=0)
    three_waiting(tenant, manager, item)
    with tenant_context(tenant):
        reward_save(tenant=tenant, actor=manager, item=item, stock=None)
    assert waiting_and_stock(tenant, item) == ([False, False, False], None)


def test_a_cancelled_redemption_gives_its_stock_to_a_waiting_prize(tenant, manager, partner_user):
    item = RewardItemFactory(tenant=tenant, name="Trip", points=10, stock=1)
    buyer = PartnerFactory(tenant=tenant, name="Buyer")
    PointsEntryFactory(tenant=tenant, partner=buyer, points=50)
    with tenant_context(tenant):
        bought = redemption_request(
            tenant=tenant, partner=buyer, item=item, actor=partner_user(tenant, partner=buyer)
        )
        winner = redemption_grant(PartnerFactory(tenant=tenant), item, "Contest: Trip", actor=manager)
        assert winner.waits_for_stock
        redemption_cancel(redemption=bought, actor=manager, by_partner=False, note="Changed mind")
        winner.refresh_from_db()
        stock = RewardItem.objects.for_tenant(tenant).get(pk=item.pk).stock
    assert not winner.waits_for_stock and stock == 0

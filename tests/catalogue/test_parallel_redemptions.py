"""Two redemptions at the very same moment, on two database connections: of the last item in stock,
and of the last points. Each time exactly one succeeds; the stock and the balance never go below
zero."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from prm.tenancy.context import tenant_context
from rewards.catalogue.ledger import balance
from rewards.catalogue.models import Redemption, RewardItem
from rewards.catalogue.services.redemptions import redemption_request
from tests.factories import PartnerFactory, PointsEntryFactory, RewardItemFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def redeem_at_once(tenant, requests) -> list[str]:
    """Run each ``(partner, item, actor)`` redemption in its own thread (its own connection), all
    released together by a barrier; the outcomes: "ok" or the field refused."""
    barrier, outcomes = threading.Barrier(len(requests)), []

    def redeem(partner, item, actor):
        try:
            with tenant_context(tenant):
                barrier.wait()
                redemption_request(tenant=tenant, partner=partner, item=item, actor=actor)
                outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(next(iter(exc.message_dict)))
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_partners_redeeming_the_last_item_at_once_only_one_gets_it(tenant, partner_user):
    # given: one item left, two partners with plenty of points
    north, south = PartnerFactory(tenant=tenant), PartnerFactory(tenant=tenant)
    for partner in (north, south):
        PointsEntryFactory(tenant=tenant, partner=partner, points=1000)
    item = RewardItemFactory(tenant=tenant, points=100, stock=1)
    users = [partner_user(tenant, partner=p) for p in (north, south)]

    # when
    outcomes = redeem_at_once(tenant, [(north, item, users[0]), (south, item, users[1])])

    # then
    assert outcomes == ["ok", "quantity"]
    with tenant_context(tenant):
        assert RewardItem.objects.for_tenant(tenant).get(pk=item.pk).stock == 0
        assert Redemption.objects.for_tenant(tenant).count() == 1
        assert sorted([balance(north), balance(south)]) == [900, 1000]


def test_two_users_spending_the_last_points_at_once_only_one_succeeds(tenant, partner_user):
    # given: 100 points, two different unlimited rewards of 100 points, two users of the partner
    partner = PartnerFactory(tenant=tenant)
    PointsEntryFactory(tenant=tenant, partner=partner, points=100)
    items = [RewardItemFactory(tenant=tenant, points=100) for _ in range(2)]
    users = [partner_user(tenant, partner=partner) for _ in range(2)]

    # when
    outcomes = redeem_at_once(tenant, [(partner, items[0], users[0]), (partner, items[1], users[1])])

    # then
    assert outcomes == ["ok", "points"]
    with tenant_context(tenant):
        assert balance(partner) == 0
        assert Redemption.objects.for_tenant(tenant).count() == 1

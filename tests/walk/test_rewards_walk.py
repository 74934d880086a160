"""The random walk of the rewards catalogue, over the API, as every role of ``world.py``: redeem,
approve, refuse, fulfil and cancel, taken by anyone, allowed or not.

A step the capability table does not allow answers 403/404 and changes nothing; any refused step
changes nothing; no answer is 5xx. After every step:

- no partner's points balance is below zero;
- every redemption's ledger rows add up to its state: −points while it is requested, approved,
  being fulfilled or delivered; 0 once refused or cancelled;
- no item is oversold: its stock now plus what open and delivered redemptions took is what it
  started with, and never below zero;
- nobody decided a redemption they requested.

Runs a fixed budget in CI (derandomised); ``WALK_EXAMPLES``/``WALK_STEPS``/``WALK_RANDOM`` as for
the programme's walk.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from incentives.models import PointsEntry
from prm.tenancy.capabilities import Capability as C
from prm.tenancy.capabilities import allows
from prm.tenancy.context import tenant_context
from rewards.catalogue.choices import CLOSED_WITHOUT
from rewards.catalogue.ledger import balances
from rewards.catalogue.models import Redemption, RewardItem
from tests.factories import PointsEntryFactory, RewardItemFactory

from .test_programme_walk import walk
from .world import build_world

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("WALK_EXAMPLES", "30"))
STEPS = int(os.environ.get("WALK_STEPS", "25"))
STOCK = {"mug": 2, "trip": None, "seat": 1}

ANYONE = st.sampled_from(["admin", "manager", "lead", "finance", "north_user", "south_user", "outsider"])
PICK = st.integers(min_value=0, max_value=50)


def mostly(*names):
    return st.one_of(st.sampled_from(names), ANYONE)


def fingerprint(tenant) -> str:
    """What a refused step must leave as it found it: the catalogue, the redemptions, the ledger."""
    with tenant_context(tenant), connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT concat_ws('|',
              (SELECT string_agg(concat_ws(',', id, stock), ';' ORDER BY id) FROM {RewardItem._meta.db_table}
               WHERE tenant_id = %(t)s),
              (SELECT string_agg(concat_ws(',', id, status, return_entry_id), ';' ORDER BY id)
               FROM {Redemption._meta.db_table} WHERE tenant_id = %(t)s),
              (SELECT count(*) || ':' || coalesce(sum(points), 0) FROM {PointsEntry._meta.db_table}
               WHERE tenant_id = %(t)s))""",
            {"t": tenant.pk},
        )
        return cursor.fetchone()[0]


class RewardsWalk(RuleBasedStateMachine):
    world = None
    items: dict = {}
    capture = None

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.w = type(self).world
        self.redemptions: list[int] = []

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def act(self, who: str, capability, method: str, path: str, data=None):
        actor = self.w.actor(who)
        before = fingerprint(self.w.tenant)
        with type(self).capture(execute=True):
            response = actor.call(method, path, data)
        event(f"{method.upper()} {path.rstrip('/').split('/')[-1]} → {response.status_code}")
        if actor.tenant_slug != self.w.tenant.slug or not allows(actor.role, capability):
            assert response.status_code in (403, 404), (who, capability, path, response.status_code)
        if response.status_code >= 400:
            assert fingerprint(self.w.tenant) == before, (
                f"{who}: refused {method.upper()} {path} changed data"
            )
        return response

    def path(self, who: str, tail: str) -> str:
        actor = self.w.actor(who)
        if actor.tenant_slug != self.w.tenant.slug:
            return f"/api/v1/tenants/{self.w.tenant.slug}/{tail}"
        return tail

    def pick(self, index: int) -> int | None:
        return self.redemptions[index % len(self.redemptions)] if self.redemptions else None

    # --- steps -------------------------------------------------------------------------

    @rule(
        who=mostly("north_user", "south_user", "manager"),
        item=st.sampled_from(sorted(STOCK)),
        quantity=st.sampled_from([1, 1, 2, 3]),
        partner=st.sampled_from(["north", "south"]),
    )
    def redeem(self, who, item, quantity, partner):
        body = {"item": type(self).items[item], "quantity": quantity, "partner": self.w.partners[partner].pk}
        response = self.act(who, C.REDEEM_POINTS, "post", self.path(who, "redemptions/"), body)
        if response.status_code == 201:
            self.redemptions.append(response.json()["id"])

    @rule(who=mostly("manager", "admin"), index=PICK, approve=st.booleans(), note=st.sampled_from(["", "ok"]))
    def decide(self, who, index, approve, note):
        pk = self.pick(index)
        if pk is not None:
            verb = "approve" if approve else "refuse"
            self.act(
                who, C.DECIDE_REDEMPTION, "post", self.path(who, f"redemptions/{pk}/{verb}/"), {"note": note}
            )

    @rule(
        who=mostly("manager", "admin"),
        index=PICK,
        status=st.sampled_from(["ordered", "shipped", "delivered"]),
    )
    def fulfil(self, who, index, status):
        pk = self.pick(index)
        if pk is not None:
            self.act(
                who,
                C.DECIDE_REDEMPTION,
                "post",
                self.path(who, f"redemptions/{pk}/fulfil/"),
                {"status": status},
            )

    @rule(who=mostly("north_user", "south_user", "manager"), index=PICK)
    def cancel(self, who, index):
        pk = self.pick(index)
        if pk is not None:
            self.act(who, C.REDEEM_POINTS, "post", self.path(who, f"redemptions/{pk}/cancel/"), {})

    # --- after every step --------------------------------------------------------------

    @invariant()
    def points_and_stock_hold(self):
        tenant = self.w.tenant
        with tenant_context(tenant):
            partners = [p.pk for p in self.w.partners.values()]
            assert min(balances(tenant, partners).values()) >= 0
            ledger = dict(PointsEntry.objects.for_tenant(tenant).values_list("pk", "points"))
            taken = {}
            for r in Redemption.objects.for_tenant(tenant):
                rows = ledger.get(r.reserve_entry_id, 0) + ledger.get(r.return_entry_id, 0)
                expected = 0 if r.status in CLOSED_WITHOUT else -r.points
                assert rows == expected, (r.pk, r.status, rows)
                if r.status not in CLOSED_WITHOUT:
                    taken[r.item_id] = taken.get(r.item_id, 0) + r.quantity
                assert r.decided_by_id is None or r.decided_by_id != r.requested_by_id, r.pk
            for key, pk in type(self).items.items():
                stock = RewardItem.objects.for_tenant(tenant).get(pk=pk).stock
                if STOCK[key] is not None:
                    assert stock >= 0 and stock + taken.get(pk, 0) == STOCK[key], (key, stock, taken)


@pytest.fixture
def rewards_world(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr("prm.webhooks.events.send_soon", lambda tenant_id, delivery_ids: None)
    world = build_world()
    for partner in (world.partners["north"], world.partners["south"]):
        PointsEntryFactory(tenant=world.tenant, partner=partner, points=150)
    items = {
        "mug": RewardItemFactory(tenant=world.tenant, name="Mug", points=40, stock=STOCK["mug"]),
        "trip": RewardItemFactory(tenant=world.tenant, name="Trip", points=120, stock=STOCK["trip"]),
        "seat": RewardItemFactory(tenant=world.tenant, name="Seat", points=60, stock=STOCK["seat"]),
    }
    return world, {key: item.pk for key, item in items.items()}


def test_every_role_redeems_and_decides_and_the_points_hold(
    rewards_world, django_capture_on_commit_callbacks
):
    RewardsWalk.world, RewardsWalk.items = rewards_world
    RewardsWalk.capture = staticmethod(django_capture_on_commit_callbacks)
    with tenant_context(RewardsWalk.world.tenant):
        total = PointsEntry.objects.for_tenant(RewardsWalk.world.tenant).aggregate(t=Sum("points"))["t"]
    assert total == 300
    walk(RewardsWalk, examples=EXAMPLES, steps=STEPS)

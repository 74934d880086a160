"""Redeeming points: reserved at once, decided by someone else, fulfilled, given back when refused or
cancelled; every movement a ledger row; the balance never below zero and the stock never oversold."""

import pytest
from django.core.exceptions import ValidationError

from incentives.models import PayoutRun, PointsEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from rewards.catalogue.ledger import balance, credit
from rewards.catalogue.models import Redemption, RewardItem
from rewards.catalogue.services.redemptions import (
    redemption_cancel,
    redemption_decide,
    redemption_fulfil,
    redemption_request,
)
from tests.factories import PartnerFactory, PointsEntryFactory, RewardItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nordwind(tenant):
    return PartnerFactory(tenant=tenant, name="Nordwind", computed_tier="B")


def ledger_of(redemption):
    rows = PointsEntry.objects.for_tenant(redemption.tenant_id).filter(
        pk__in=[redemption.reserve_entry_id, redemption.return_entry_id]
    )
    return sorted(rows.values_list("points", flat=True))


def test_a_redemption_reserves_then_delivers_and_its_ledger_rows_say_why(
    tenant, member, nordwind, partner_user
):
    # given: 120 points and a 50-point gift, 3 in stock
    manager = member(tenant, Role.CHANNEL_MANAGER)
    buyer = partner_user(tenant, partner=nordwind)
    PointsEntryFactory(tenant=tenant, partner=nordwind, points=120)
    item = RewardItemFactory(tenant=tenant, name="Espresso machine", points=50, stock=3)

    with tenant_context(tenant):
        # when: a partner user redeems two
        redemption = redemption_request(tenant=tenant, partner=nordwind, item=item, actor=buyer, quantity=2)
        reserved_balance = balance(nordwind)
        # and a manager approves, orders, ships and delivers it
        redemption_decide(redemption=redemption, actor=manager, approve=True)
        for step, note in [("ordered", "PO 77"), ("shipped", "DHL 123"), ("delivered", "")]:
            redemption = redemption_fulfil(redemption=redemption, actor=manager, status=step, note=note)

        # then
        assert reserved_balance == 20 and balance(nordwind) == 20
        assert RewardItem.objects.for_tenant(tenant).get(pk=item.pk).stock == 1
        assert redemption.status == "delivered"
        assert [s["status"] for s in redemption.history] == [
            "requested",
            "approved",
            "ordered",
            "shipped",
            "delivered",
        ]
        assert ledger_of(redemption) == [-100]
        assert (
            redemption.reserve_entry.reason == f"Reserved for redemption #{redemption.pk}: Espresso machine"
        )


def test_a_refused_redemption_gives_points_and_stock_back_with_a_reason(
    tenant, member, nordwind, partner_user
):
    manager = member(tenant, Role.CHANNEL_MANAGER)
    PointsEntryFactory(tenant=tenant, partner=nordwind, points=60)
    item = RewardItemFactory(tenant=tenant, points=60, stock=1)

    with tenant_context(tenant):
        redemption = redemption_request(
            tenant=tenant, partner=nordwind, item=item, actor=partner_user(tenant, partner=nordwind)
        )
        with pytest.raises(ValidationError) as no_reason:
            redemption_decide(redemption=redemption, actor=manager, approve=False)
        refused = redemption_decide(redemption=redemption, actor=manager, approve=False, note="Out of range")

        assert "note" in no_reason.value.message_dict
        assert refused.status == "refused" and balance(nordwind) == 60
        assert ledger_of(refused) == [-60, 60]
        assert refused.return_entry.reason == f"Returned: redemption #{refused.pk} refused"
        assert RewardItem.objects.for_tenant(tenant).get(pk=item.pk).stock == 1


def test_nobody_decides_a_redemption_they_requested(tenant, member, nordwind):
    manager, colleague = member(tenant, Role.CHANNEL_MANAGER), member(tenant, Role.CHANNEL_MANAGER)
    PointsEntryFactory(tenant=tenant, partner=nordwind, points=50)
    item = RewardItemFactory(tenant=tenant, points=50)

    with tenant_context(tenant):
        redemption = redemption_request(tenant=tenant, partner=nordwind, item=item, actor=manager)
        with pytest.raises(ValidationError) as own:
            redemption_decide(redemption=redemption, actor=manager, approve=True)
        approved = redemption_decide(redemption=redemption, actor=colleague, approve=True)

    assert own.value.message_dict["detail"] == ["You requested this redemption; someone else must decide it."]
    assert approved.status == "approved"


def test_a_partner_cancels_only_while_waiting_a_manager_until_shipped(tenant, member, nordwind, partner_user):
    manager, buyer = member(tenant, Role.CHANNEL_MANAGER), partner_user(tenant, partner=nordwind)
    PointsEntryFactory(tenant=tenant, partner=nordwind, points=100)
    item = RewardItemFactory(tenant=tenant, points=50)

    with tenant_context(tenant):
        waiting = redemption_request(tenant=tenant, partner=nordwind, item=item, actor=buyer)
        approved = redemption_request(tenant=tenant, partner=nordwind, item=item, actor=buyer)
        redemption_decide(redemption=approved, actor=manager, approve=True)

        cancelled = redemption_cancel(redemption=waiting, actor=buyer, by_partner=True)
        with pytest.raises(ValidationError):
            redemption_cancel(redemption=approved, actor=buyer, by_partner=True)
        by_manager = redemption_cancel(
            redemption=approved, actor=manager, by_partner=False, note="No longer made"
        )

        assert (cancelled.status, by_manager.status) == ("cancelled", "cancelled")
        assert balance(nordwind) == 100
        assert ledger_of(cancelled) == [-50, 50] and ledger_of(by_manager) == [-50, 50]


def test_redeeming_more_than_the_balance_or_the_stock_is_refused_and_changes_nothing(
    tenant, nordwind, partner_user
):
    buyer = partner_user(tenant, partner=nordwind)
    PointsEntryFactory(tenant=tenant, partner=nordwind, points=40)
    dear, scarce = (
        RewardItemFactory(tenant=tenant, points=50),
        RewardItemFactory(tenant=tenant, points=10, stock=1),
    )

    with tenant_context(tenant):
        with pytest.raises(ValidationError) as poor:
            redemption_request(tenant=tenant, partner=nordwind, item=dear, actor=buyer)
        with pytest.raises(ValidationError) as sold:
            redemption_request(tenant=tenant, partner=nordwind, item=scarce, actor=buyer, quantity=2)

        assert poor.value.message_dict["points"] == ["Nordwind holds 40 points; this needs 50."]
        assert sold.value.message_dict["quantity"] == [f"Only 1 left of {scarce.name}."]
        assert balance(nordwind) == 40 and not Redemption.objects.for_tenant(tenant).exists()


def test_items_outside_their_window_tiers_or_preferences_are_not_redeemable(tenant, nordwind, partner_user):
    buyer = partner_user(tenant, partner=nordwind)
    PointsEntryFactory(tenant=tenant, partner=nordwind, points=500)
    for_a = RewardItemFactory(tenant=tenant, tiers=["A"])
    over = RewardItemFactory(tenant=tenant, available_until="2020-01-01")
    marketers = RewardItemFactory(tenant=tenant, for_preferences=["marketing"], preferences_only=True)

    with tenant_context(tenant):
        for item in (for_a, over, marketers):
            with pytest.raises(ValidationError) as refused:
                redemption_request(tenant=tenant, partner=nordwind, item=item, actor=buyer)
            assert "item" in refused.value.message_dict


def test_the_balance_never_moves_with_a_draft_run(tenant, nordwind):
    draft = PayoutRun.objects.for_tenant(tenant).create(tenant=tenant, period="2026-Q3", currency="EUR")
    PointsEntryFactory(tenant=tenant, partner=nordwind, points=30)
    PointsEntryFactory(tenant=tenant, partner=nordwind, points=500, run=draft)

    with tenant_context(tenant):
        assert balance(nordwind) == 30


def test_credit_writes_an_audited_row_and_refuses_an_overdraft(tenant, member, nordwind):
    manager = member(tenant, Role.CHANNEL_MANAGER)
    with tenant_context(tenant):
        entry = credit(nordwind, 25, "Contest prize", actor=manager)
        with pytest.raises(ValidationError):
            credit(nordwind, -26, "Too much")
        credit(nordwind, -25, "Correction")

        assert (entry.points, entry.run_id, entry.reason) == (25, None, "Contest prize")
        assert balance(nordwind) == 0

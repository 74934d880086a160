"""A catalogue reward as a contest's prize: checked when the contest is saved (service, API and
page), given once to each winner as an approved prize redemption that costs no points, tracked
through fulfilment, and granted even when the item is out of stock (it then waits for stock)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from incentives.models import PointsEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from rewards.catalogue.exports import fulfilment_rows
from rewards.catalogue.ledger import balance
from rewards.catalogue.models import Redemption, RewardItem
from rewards.catalogue.services.redemptions import redemption_cancel, redemption_fulfil
from rewards.contests.models import ContestAward
from rewards.contests.services import contest_close, contest_save
from tests.factories import PartnerFactory, RewardItemFactory, SaleFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
AFTER = datetime.date(2026, 10, 20)
BASE = "/api/v1/tenants/alpha"


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def seller(tenant, name, before, now):
    partner = PartnerFactory(tenant=tenant, name=name, stage="signed")
    for day, amount in ((datetime.date(2025, 8, 1), before), (datetime.date(2026, 8, 1), now)):
        SaleFactory(
            tenant=tenant, partner=partner, date=day, amount=Decimal(amount), currency=tenant.currency
        )
    return partner


def item_prize(item, **fields):
    return {"label": "Espresso machine", "basis": "rank", "rank_from": 1, "rank_to": 2, "kind": "item"} | {
        "item": item,
        **fields,
    }


def contest_with(tenant, manager, prizes):
    with tenant_context(tenant):
        return contest_save(
            tenant=tenant,
            actor=manager,
            name="Summer growth",
            starts_on=START,
            ends_on=END,
            measure="growth",
            prizes=prizes,
        )


def test_closing_gives_each_winner_the_item_once_at_no_cost_then_it_is_fulfilled(
    tenant, manager, partner_user, mailoutbox, django_capture_on_commit_callbacks
):
    a, b = seller(tenant, "Alpha", 1000, 1500), seller(tenant, "Bravo", 1000, 1400)
    seller(tenant, "Charlie", 1000, 1100)  # third: no prize
    winner_user = partner_user(tenant, partner=a)
    item = RewardItemFactory(tenant=tenant, name="Espresso machine", points=500, stock=5)
    contest = contest_with(tenant, manager, [item_prize(item)])
    with tenant_context(tenant):
        with django_capture_on_commit_callbacks(execute=True):
            awards = contest_close(contest=contest, actor=manager, today=AFTER)
        with pytest.raises(ValidationError):
            contest_close(contest=contest, actor=manager, today=AFTER)
        redemptions = list(Redemption.objects.for_tenant(tenant).order_by("partner__name"))
        stock = RewardItem.objects.for_tenant(tenant).get(pk=item.pk).stock
        ledger_rows = PointsEntry.objects.for_tenant(tenant).count()
        rows = list(fulfilment_rows(tenant))
        # fulfilled like any redemption
        first = redemptions[0]
        for step in ("ordered", "shipped", "delivered"):
            first = redemption_fulfil(redemption=first, actor=manager, status=step)
        stored = list(ContestAward.objects.for_tenant(tenant).values_list("partner_id", "redemption_id"))

    assert sorted(aw.partner_id for aw in awards) == sorted([a.pk, b.pk])
    assert [(r.partner_id, r.status, r.points, r.prize, r.waits_for_stock) for r in redemptions] == [
        (a.pk, "approved", 0, True, False),
        (b.pk, "approved", 0, True, False),
    ]
    assert "Summer growth" in redemptions[0].note
    assert stock == 3 and ledger_rows == 0 and balance(a) == 0
    assert sorted(stored) == sorted((r.partner_id, r.pk) for r in redemptions)
    assert len(rows) == 3 and rows[1][rows[0].index("prize")] == 1
    assert first.status == "delivered"
    prize_mail = [m for m in mailoutbox if "Espresso machine" in m.subject]
    assert [m.to for m in prize_mail] == [[winner_user.email]]
    assert "costs no points" in prize_mail[0].body


def test_out_of_stock_the_prize_is_granted_and_waits_for_stock(tenant, manager):
    a = seller(tenant, "Alpha", 1000, 1500)
    item = RewardItemFactory(tenant=tenant, name="Last trip", points=900, stock=0)
    contest = contest_with(tenant, manager, [item_prize(item, rank_to=1)])
    with tenant_context(tenant):
        awards = contest_close(contest=contest, actor=manager, today=AFTER)
        redemption = Redemption.objects.for_tenant(tenant).get()
        # cancelled, it gives back no stock it never took, and no points
        redemption_cancel(redemption=redemption, actor=manager, by_partner=False, note="Supplier gone")
        stock = RewardItem.objects.for_tenant(tenant).get(pk=item.pk).stock
        ledger_rows = PointsEntry.objects.for_tenant(tenant).count()
    assert [aw.partner_id for aw in awards] == [a.pk] and awards[0].redemption_id == redemption.pk
    assert redemption.status == "approved" and redemption.waits_for_stock
    assert stock == 0 and ledger_rows == 0


def test_an_item_prize_must_name_an_active_item_of_the_programme(tenant, other_tenant, manager):
    inactive = RewardItemFactory(tenant=tenant, active=False)
    foreign = RewardItemFactory(tenant=other_tenant)
    for item in (None, inactive, foreign, foreign.pk):
        with pytest.raises(ValidationError) as refused:
            contest_with(tenant, manager, [item_prize(item)])
        assert "item" in refused.value.message_dict


def test_the_api_takes_an_item_prize_and_answers_400_naming_the_item(api, tenant, other_tenant, manager):
    staff = api(manager)
    item = RewardItemFactory(tenant=tenant, name="Mug", points=10)
    inactive = RewardItemFactory(tenant=tenant, active=False)
    foreign = RewardItemFactory(tenant=other_tenant)
    body = {"name": "Race", "starts_on": str(START), "ends_on": str(END), "measure": "growth"}

    def prize(pk):
        return [{"label": "Mug", "basis": "rank", "rank_from": 1, "kind": "item", "item": pk}]

    created = staff.post(f"{BASE}/contests/", {**body, "prizes": prize(item.pk)}, format="json")
    refused = [
        staff.post(f"{BASE}/contests/", {**body, "prizes": prize(pk)}, format="json")
        for pk in (inactive.pk, foreign.pk)
    ]
    missing = staff.post(f"{BASE}/contests/", {**body, "prizes": prize(None)}, format="json")

    assert created.status_code == 201 and created.json()["prizes"][0]["item"] == item.pk
    assert [r.status_code for r in refused] == [400, 400]
    assert all("item" in r.json()["prizes"]["0"] for r in refused)
    assert missing.status_code == 400 and "item" in missing.json()


def test_the_contest_form_offers_the_programme_s_active_items(web, tenant, manager):
    item = RewardItemFactory(tenant=tenant, name="Mug for winners", points=10)
    RewardItemFactory(tenant=tenant, name="Retired mug", active=False)
    client = web(manager)
    form = {
        "name": "Spring race",
        "measure": "growth",
        "starts_on": str(START),
        "ends_on": str(END),
        "auto_close_days": "",
        "prizes-TOTAL_FORMS": "1",
        "prizes-INITIAL_FORMS": "0",
        "prizes-0-label": "Mug",
        "prizes-0-basis": "rank",
        "prizes-0-rank_from": "1",
        "prizes-0-kind": "item",
    }
    page = client.get("/t/alpha/rewards/contests/new/").content.decode()
    bad = client.post("/t/alpha/rewards/contests/new/", form)
    created = client.post("/t/alpha/rewards/contests/new/", {**form, "prizes-0-item": str(item.pk)})
    shown = client.get(created.url).content.decode()

    assert "Mug for winners" in page and "Retired mug" not in page
    assert bad.status_code == 400 and created.status_code == 302
    assert "Mug for winners" in shown

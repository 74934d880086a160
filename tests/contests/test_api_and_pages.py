"""Contests as clients and people reach them: the API (create, leaderboard, close) and the pages."""

import datetime
from decimal import Decimal

import pytest

from prm.tenancy.choices import Role
from rewards.contests.models import ContestAward
from tests.factories import PartnerFactory, SaleFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"
TODAY = datetime.date.today()


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def seller(tenant, name, before, now, **kwargs):
    """A signed partner that sold ``before`` a year and five days ago and ``now`` five days ago."""
    partner = PartnerFactory(tenant=tenant, name=name, stage="signed", **kwargs)
    sold = TODAY - datetime.timedelta(days=5)
    a_year_ago = sold.replace(year=sold.year - 1, day=min(sold.day, 28))
    SaleFactory(
        tenant=tenant, partner=partner, date=a_year_ago, amount=Decimal(before), currency=tenant.currency
    )
    SaleFactory(tenant=tenant, partner=partner, date=sold, amount=Decimal(now), currency=tenant.currency)
    return partner


def contest_body(**fields):
    return {
        "name": "Race",
        "starts_on": str(TODAY - datetime.timedelta(days=10)),
        "ends_on": str(TODAY + datetime.timedelta(days=10)),
        "measure": "growth",
        "prizes": [
            {"label": "Trip", "basis": "rank", "rank_from": 1, "rank_to": 1, "kind": "points", "points": 900}
        ],
        **fields,
    }


def test_a_partner_sees_its_rank_and_the_others_anonymised_unless_names_are_shown(
    api, tenant, manager, partner_user
):
    best = seller(tenant, "Best Co", 1000, 2000)
    mine = seller(tenant, "Mine Co", 1000, 1500)
    seller(tenant, "Third Co", 1000, 1100)
    staff, partner = api(manager), api(partner_user(tenant, partner=mine))

    created = staff.post(f"{BASE}/contests/", contest_body(), format="json")
    contest_id = created.json()["id"]
    board = partner.get(f"{BASE}/contests/{contest_id}/leaderboard/").json()
    staff_board = staff.get(f"{BASE}/contests/{contest_id}/leaderboard/").json()
    staff.patch(f"{BASE}/contests/{contest_id}/", {"show_names": True}, format="json")
    named = partner.get(f"{BASE}/contests/{contest_id}/leaderboard/").json()

    assert created.status_code == 201, created.json()
    assert [(r["rank"], r["name"], r["partner"]) for r in board["results"]] == [
        (1, "Partner #1", None),
        (2, "Mine Co", mine.pk),
        (3, "Partner #3", None),
    ]
    assert board["own"]["standing"]["rank"] == 2 and Decimal(board["own"]["standing"]["value"]) == Decimal(50)
    assert board["own"]["to_reach"][0]["label"] == "Trip" and Decimal(
        board["own"]["to_reach"][0]["missing"]
    ) == Decimal(50)
    assert [r["name"] for r in staff_board["results"]] == ["Best Co", "Mine Co", "Third Co"] and staff_board[
        "own"
    ] is None
    assert staff_board["results"][0]["partner"] == best.pk
    assert [r["name"] for r in named["results"]] == ["Best Co", "Mine Co", "Third Co"]


def test_a_contest_the_partner_is_not_eligible_for_is_absent_and_404(api, tenant, manager, partner_user):
    mine = seller(tenant, "Mine Co", 1000, 1500, region="South")
    staff, partner = api(manager), api(partner_user(tenant, partner=mine))
    north = staff.post(
        f"{BASE}/contests/", contest_body(name="North only", regions=["North"]), format="json"
    ).json()
    anyone = staff.post(f"{BASE}/contests/", contest_body(name="Everyone"), format="json").json()
    later = staff.post(
        f"{BASE}/contests/",
        contest_body(name="Later", starts_on=str(TODAY + datetime.timedelta(days=5))),
        format="json",
    ).json()

    listed = partner.get(f"{BASE}/contests/").json()["results"]

    assert [c["name"] for c in listed] == ["Everyone"]
    assert partner.get(f"{BASE}/contests/{north['id']}/").status_code == 404
    assert partner.get(f"{BASE}/contests/{north['id']}/leaderboard/").status_code == 404
    assert partner.get(f"{BASE}/contests/{later['id']}/").status_code == 404
    assert partner.get(f"{BASE}/contests/{anyone['id']}/").status_code == 200
    assert partner.post(f"{BASE}/contests/", contest_body(), format="json").status_code == 403


def test_closing_through_the_api_awards_once_and_refuses_a_running_contest(
    api, tenant, manager, partner_user
):
    winner = seller(tenant, "Winner", 1000, 3000)
    staff = api(manager)
    running = staff.post(f"{BASE}/contests/", contest_body(), format="json").json()
    ended = staff.post(
        f"{BASE}/contests/",
        contest_body(
            name="Ended",
            starts_on=str(TODAY - datetime.timedelta(days=20)),
            ends_on=str(TODAY - datetime.timedelta(days=1)),
        ),
        format="json",
    ).json()
    too_early = staff.post(f"{BASE}/contests/{running['id']}/close/")
    partner_closing = api(partner_user(tenant, partner=winner)).post(f"{BASE}/contests/{ended['id']}/close/")
    first = staff.post(f"{BASE}/contests/{ended['id']}/close/")
    second = staff.post(f"{BASE}/contests/{ended['id']}/close/")
    changed = staff.patch(f"{BASE}/contests/{ended['id']}/", {"name": "Renamed"}, format="json")

    assert too_early.status_code == 400 and partner_closing.status_code == 403
    assert first.status_code == 200 and [(a["partner"], a["prize_label"]) for a in first.json()] == [
        (winner.pk, "Trip")
    ]
    assert second.status_code == 400 and changed.status_code == 400
    assert ContestAward.objects.for_tenant(tenant).count() == 1
    assert staff.get(f"{BASE}/contests/{ended['id']}/").json()["status"] == "closed"


def test_a_bad_contest_answers_400_naming_the_field(api, tenant, manager):
    staff = api(manager)
    no_period = staff.post(f"{BASE}/contests/", contest_body(measure="kpi"), format="json")
    no_rank = staff.post(
        f"{BASE}/contests/",
        contest_body(prizes=[{"label": "X", "basis": "rank", "kind": "points", "points": 1}]),
        format="json",
    )
    assert no_period.status_code == 400 and "period" in no_period.json()
    assert no_rank.status_code == 400 and "prizes" in no_rank.json()


def test_the_pages_create_show_and_close_a_contest(web, tenant, manager, partner_user, member):
    mine = seller(tenant, "Mine Co", 1000, 1500)
    seller(tenant, "Other Co", 1000, 2500)
    client = web(manager)
    form = {
        "name": "Spring race",
        "measure": "growth",
        "starts_on": str(TODAY - datetime.timedelta(days=30)),
        "ends_on": str(TODAY - datetime.timedelta(days=1)),
        "auto_close_days": "",
        "prizes-TOTAL_FORMS": "2",
        "prizes-INITIAL_FORMS": "0",
        "prizes-0-label": "Trip",
        "prizes-0-basis": "rank",
        "prizes-0-rank_from": "1",
        "prizes-0-kind": "points",
        "prizes-0-points": "700",
        "prizes-1-label": "",
        "prizes-1-basis": "rank",
        "prizes-1-kind": "points",
    }
    bad = client.post("/t/alpha/rewards/contests/new/", {**form, "prizes-0-rank_from": ""})
    created = client.post("/t/alpha/rewards/contests/new/", form)
    page = client.get(created.url)
    closed = client.post(f"{created.url}close/", follow=True)
    again = client.post(f"{created.url}close/")

    assert bad.status_code == 400
    assert created.status_code == 302 and "Other Co" in page.content.decode()
    assert (
        "Contest closed: 1 prizes awarded." in closed.content.decode()
        or "1 prizes" in closed.content.decode()
    )
    assert again.status_code == 400

    partner_page = web(partner_user(tenant, partner=mine)).get(created.url).content.decode()
    assert "Partner #1" in partner_page and "Other Co" not in partner_page and "Rank 2 of 2" in partner_page

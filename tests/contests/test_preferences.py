"""Contests aimed at reward preferences: a partner's list shows those for its stated preferences
first, marked "For you", leaves out those only for other preferences, and a contest's page says
whom it is meant for."""

import datetime

import pytest

from prm.tenancy.choices import Role
from rewards.preferences.models import RewardPreference
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"
TODAY = datetime.date.today()


def body(name, **fields):
    return {
        "name": name,
        "starts_on": str(TODAY - datetime.timedelta(days=10)),
        "ends_on": str(TODAY + datetime.timedelta(days=10)),
        "measure": "growth",
        "prizes": [{"label": "Mug", "basis": "rank", "rank_from": 1, "kind": "points", "points": 10}],
        **fields,
    }


def test_a_partner_sees_contests_for_its_preferences_first_and_not_those_only_for_others(
    api, web, tenant, member, partner_user
):
    # given: Nordwind prefers training; three contests, one only for partners who prefer money
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind", stage="signed")
    RewardPreference.objects.for_tenant(tenant).create(
        tenant=tenant, partner=nordwind, kinds=["training", "points"]
    )
    staff = api(member(tenant, Role.CHANNEL_MANAGER))
    staff.post(f"{BASE}/contests/", body("Everyone"), format="json")
    trainers = staff.post(
        f"{BASE}/contests/", body("Exam sprint", for_preferences=["training"]), format="json"
    ).json()
    money = staff.post(
        f"{BASE}/contests/", body("Cash race", for_preferences=["money"], preferred_only=True), format="json"
    ).json()
    user = partner_user(tenant, partner=nordwind)

    # when
    listed = api(user).get(f"{BASE}/contests/").json()["results"]
    page = web(user).get("/t/alpha/rewards/contests/").content.decode()
    detail = web(user).get(f"/t/alpha/rewards/contests/{trainers['id']}/").content.decode()

    # then
    assert sorted((c["name"], c["for_you"]) for c in listed) == [("Everyone", False), ("Exam sprint", True)]
    assert page.index("Exam sprint") < page.index("Everyone") and "Cash race" not in page
    assert page.count('data-testid="for-you"') == 1
    assert "Meant for partners who prefer:" in detail and 'data-testid="for-you"' in detail
    assert api(user).get(f"{BASE}/contests/{money['id']}/").status_code == 404

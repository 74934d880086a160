"""Reward preferences: the partner admin states them (page and API), colleagues read them, the
manager reads them on the partner page, and no one reads another partner's."""

import pytest

from partners.models import PartnerUser
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from rewards.preferences.models import RewardPreference
from rewards.preferences.selectors import preferred_kinds
from tests.factories import PartnerFactory, PartnerUserFactory

pytestmark = pytest.mark.django_db

PAGE = "/t/alpha/rewards/preferences/"
API = "/api/v1/tenants/alpha/reward-preferences/"


@pytest.fixture
def nordwind(tenant):
    return PartnerFactory(tenant=tenant, name="Nordwind Systems")


@pytest.fixture
def baltic(tenant):
    return PartnerFactory(tenant=tenant, name="Baltic Data")


def partner_admin(tenant, partner):
    return PartnerUserFactory(tenant=tenant, partner=partner, is_partner_admin=True).membership.user


def colleague(tenant, partner):
    return PartnerUserFactory(tenant=tenant, partner=partner).membership.user


def test_unstated_preferences_are_an_empty_list(tenant, nordwind):
    assert preferred_kinds(nordwind) == []


def test_the_partner_admin_states_them_on_its_page_in_order(tenant, nordwind, web):
    client = web(partner_admin(tenant, nordwind))
    page = client.get(PAGE)
    assert page.status_code == 200 and "None stated yet." in page.content.decode()

    answer = client.post(PAGE, {"first": "training", "second": "points"}, follow=True)

    assert answer.status_code == 200
    assert preferred_kinds(nordwind) == ["training", "points"]
    assert "Your reward preferences are saved." in answer.content.decode()
    entry = AuditEntry.objects.for_tenant(tenant).get(action="reward_preference.stated")
    assert entry.changes == {"kinds": [[], ["training", "points"]]}


def test_naming_a_kind_twice_answers_400_and_keeps_what_was_stated(tenant, nordwind, web):
    client = web(partner_admin(tenant, nordwind))
    client.post(PAGE, {"first": "money"})

    answer = client.post(PAGE, {"first": "points", "second": "points"})

    assert answer.status_code == 400
    assert "Name each kind of reward once." in answer.content.decode()
    assert preferred_kinds(nordwind) == ["money"]


def test_a_colleague_reads_them_without_a_form_and_may_not_change_them(tenant, nordwind, web, api):
    api(partner_admin(tenant, nordwind)).post(API, {"kinds": ["marketing"]}, format="json")
    user = colleague(tenant, nordwind)

    page = web(user).get(PAGE).content.decode()
    assert "Marketing help" in page and 'name="first"' not in page

    assert web(user).post(PAGE, {"first": "money"}).status_code == 400
    answer = api(user).post(API, {"kinds": ["money"]}, format="json")
    assert answer.status_code == 400
    assert preferred_kinds(nordwind) == ["marketing"]


def test_staff_may_not_state_a_partners_preferences(tenant, nordwind, api, member):
    answer = api(member(tenant, Role.CHANNEL_MANAGER)).post(API, {"kinds": ["money"]}, format="json")
    assert answer.status_code == 403
    assert not RewardPreference.objects.for_tenant(tenant).exists()


def test_the_api_states_reads_and_withdraws_them(tenant, nordwind, api):
    client = api(partner_admin(tenant, nordwind))

    stated = client.post(API, {"kinds": ["points", "money"]}, format="json")
    assert stated.status_code == 200
    assert stated.json()["kinds"] == ["points", "money"] and stated.json()["partner"] == nordwind.pk

    assert client.post(API, {"kinds": ["gold"]}, format="json").status_code == 400
    assert client.post(API, {"kinds": []}, format="json").json()["kinds"] == []
    assert preferred_kinds(nordwind) == []


def test_a_partner_user_sees_its_own_partners_only(tenant, nordwind, baltic, api, member):
    api(partner_admin(tenant, nordwind)).post(API, {"kinds": ["points"]}, format="json")
    api(partner_admin(tenant, baltic)).post(API, {"kinds": ["money"]}, format="json")
    theirs = RewardPreference.objects.for_tenant(tenant).get(partner=baltic)

    mine = api(colleague(tenant, nordwind))
    assert [row["partner"] for row in mine.get(API).json()["results"]] == [nordwind.pk]
    assert mine.get(f"{API}{theirs.pk}/").status_code == 404

    staff = api(member(tenant, Role.CHANNEL_MANAGER)).get(API).json()["results"]
    assert {row["partner"] for row in staff} == {nordwind.pk, baltic.pk}


def test_the_managers_partner_page_shows_them(tenant, nordwind, web, api, member):
    page = f"/t/alpha/partners/{nordwind.pk}/"
    manager = member(tenant, Role.CHANNEL_MANAGER)
    assert "has not said what kind of reward it prefers" in web(manager).get(page).content.decode()

    api(partner_admin(tenant, nordwind)).post(API, {"kinds": ["training", "marketing"]}, format="json")

    html = web(manager).get(page).content.decode()
    section = html[html.index('data-testid="partner-reward-preferences"') :]
    assert section.index("Training") < section.index("Marketing help")


def test_an_admin_link_of_another_partner_does_not_count(tenant, nordwind, baltic, api):
    user = partner_admin(tenant, nordwind)
    PartnerUser.objects.for_tenant(tenant).filter(membership__user=user).update(partner=baltic)
    # the membership now belongs to Baltic: it states Baltic's preferences, never Nordwind's
    api(user).post(API, {"kinds": ["money"]}, format="json")
    assert preferred_kinds(nordwind) == []

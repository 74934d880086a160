"""A partner's owner is someone whose role works partners (``own_partners``: admin, channel manager,
regional lead): the form offers only them, and the service refuses anyone else, naming the field."""

import io
import re

import pytest

from partners.models import Partner
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory

BASE = "/api/v1/tenants/alpha"

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(tenant, member, partner_user):
    return {
        "ada": member(tenant, Role.ADMIN, username="ada"),
        "carla": member(tenant, Role.CHANNEL_MANAGER, username="carla"),
        "luis": member(tenant, Role.REGIONAL_LEAD, username="luis"),
        "fiona": member(tenant, Role.FINANCE, username="fiona"),
        "pat": partner_user(tenant),
    }


def owner_options(html: str) -> list[str]:
    select = re.search(r'<select name="owner".*?</select>', html, re.S)[0]
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)


def test_the_new_partner_form_offers_only_roles_that_own_partners(web, team):
    html = web(team["carla"]).get("/t/alpha/partners/new/").content.decode()
    assert owner_options(html) == ["ada", "carla", "luis"]


def test_editing_keeps_a_current_owner_who_can_no_longer_own(web, tenant, team):
    partner = PartnerFactory(tenant=tenant, owner=team["fiona"])  # named before the rule
    html = web(team["carla"]).get(f"/t/alpha/partners/{partner.pk}/edit/").content.decode()
    assert owner_options(html) == ["ada", "carla", "fiona", "luis"]


def test_the_api_refuses_a_finance_owner_on_the_field(api, team):
    response = api(team["carla"]).post(
        f"{BASE}/partners/", {"name": "Nordwind", "owner": team["fiona"].pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "owner": [
            "fiona cannot own a partner: owners are members in one of these roles: "
            "Tenant admin, Channel manager, Regional lead."
        ]
    }
    ok = api(team["carla"]).post(
        f"{BASE}/partners/", {"name": "Fjord", "owner": team["luis"].pk}, format="json"
    )
    assert ok.status_code == 201


def test_the_api_refuses_to_make_a_partner_user_the_owner(api, tenant, team):
    partner = PartnerFactory(tenant=tenant, owner=team["carla"])
    response = api(team["carla"]).patch(
        f"{BASE}/partners/{partner.pk}/", {"owner": team["pat"].pk}, format="json"
    )
    assert response.status_code == 400 and list(response.json()) == ["owner"]
    # another change leaves an owner named before the rule alone
    partner = PartnerFactory(tenant=tenant, owner=team["fiona"])
    response = api(team["carla"]).patch(f"{BASE}/partners/{partner.pk}/", {"region": "North"}, format="json")
    assert response.status_code == 200


def test_an_import_names_the_row_of_an_owner_who_cannot_own(api, tenant, team):
    rows = "name,owner\nNordwind,carla\nFjord,fiona\n"
    response = api(team["carla"]).post(
        f"{BASE}/partners/import/", {"file": io.BytesIO(rows.encode())}, format="multipart"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(3, "owner")]
    assert "fiona cannot own a partner" in errors[0]["message"]
    with tenant_context(tenant):
        assert not Partner.objects.filter(name__in=["Nordwind", "Fjord"]).exists()

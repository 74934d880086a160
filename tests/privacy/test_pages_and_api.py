"""The admin's personal-data page and API: find by e-mail, download the JSON, erase with the typed
confirmation; other roles are refused and another tenant's record is not found."""

import json

import pytest

from partners.models import Contact
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/tenants/alpha/personal-data"
PAGE = "/t/alpha/personal-data/"


@pytest.fixture
def dora(tenant):
    return ContactFactory(tenant=tenant, name="Dora Vidal", email="dora@shop.example", phone="+34 1")


def test_the_api_finds_exports_and_erases(api, tenant, member, dora):
    client = api(member(tenant, Role.ADMIN))

    found = client.get(f"{API}/?email=DORA@shop.example").json()
    exported = client.get(f"{API}/export/?contact={dora.pk}")
    refused = client.post(f"{API}/erase/", {"email": "dora@shop.example", "confirm": "nope"}, format="json")
    erased = client.post(
        f"{API}/erase/", {"email": "dora@shop.example", "confirm": "dora@shop.example"}, format="json"
    )

    assert found["records"]["contacts"] == 1 and found["confirmation"] == "dora@shop.example"
    assert exported.status_code == 200 and "attachment" in exported["Content-Disposition"]
    assert json.loads(exported.content)["records"]["contacts"][0]["phone"] == "+34 1"
    assert refused.status_code == 400 and "confirm" in refused.json()
    assert erased.status_code == 200 and erased.json()["records"]["contacts"] == 1
    with tenant_context(tenant):
        assert Contact.objects.get(pk=dora.pk).phone == ""
    assert AuditEntry.objects.for_tenant(tenant).filter(action__startswith="personal_data.").count() == 2


def test_other_roles_are_refused_and_other_tenants_records_are_not_found(
    api, tenant, other_tenant, member, dora
):
    theirs = ContactFactory(tenant=other_tenant)

    assert api(member(tenant, Role.CHANNEL_MANAGER)).get(f"{API}/?email=dora@shop.example").status_code == 403
    assert api(member(tenant, Role.ADMIN)).get(f"{API}/?contact={theirs.pk}").status_code == 404
    assert api(member(tenant, Role.ADMIN)).get(f"{API}/").status_code == 400


def test_the_page_shows_what_is_stored_and_erases_after_the_typed_confirmation(web, tenant, member, dora):
    client = web(member(tenant, Role.ADMIN))

    page = client.get(PAGE, {"email": "dora@shop.example"})
    wrong = client.post(f"{PAGE}erase/", {"email": "dora@shop.example", "confirm": "x"})
    done = client.post(f"{PAGE}erase/", {"email": "dora@shop.example", "confirm": "dora@shop.example"})

    assert page.status_code == 200 and b"Export (JSON)" in page.content
    assert wrong.status_code == 400
    assert done.status_code == 302
    with tenant_context(tenant):
        assert Contact.objects.get(pk=dora.pk).name == f"Erased person #{dora.pk}"

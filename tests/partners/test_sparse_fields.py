"""``GET partners/?fields=id,name,tier``: each row carries only the fields named (in the row's own
order), reads only what they need, stays scoped like the full row, and an unknown name is a 400
naming it. A row of every field is the full row."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.api.serializers.partner_fields import PARTNER_USER_FIELDS, STAFF_FIELDS
from prm.tenancy.choices import Role
from tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"


@pytest.fixture
def partners(tenant, other_tenant, member):
    """Three partners of the tenant (an overridden tier, a computed one, none yet; contacts and an
    explanation on the first) and one of another tenant."""
    now = timezone.now()
    axes = {"rule": "SLW", "axes": {"competitiveness": {"score": 70.0, "threshold": 50.0, "strong": True}}}
    first = PartnerFactory(
        tenant=tenant,
        name="Atlas",
        computed_tier="C",
        tier_override="A",
        tier_override_reason="Strategic",
        tier_axes=axes,
        tier_computed_at=now,
        stage_due_at=now - timedelta(days=1),
        health="watch",
        health_reasons=[{"code": "quiet", "params": {"days": 60}}],
    )
    ContactFactory(tenant=tenant, partner=first, name="Jo", is_primary=True)
    second = PartnerFactory(tenant=tenant, name="Boreal", computed_tier="B")
    third = PartnerFactory(tenant=tenant, name="Cirrus", computed_tier="")
    PartnerFactory(tenant=other_tenant, name="Elsewhere", computed_tier="A")
    return [first, second, third]


def _rows(client, query: str) -> list[dict]:
    response = client.get(f"{BASE}/partners/{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_fields_choose_the_keys_of_every_row(api, tenant, member, partners):
    client = api(member(tenant, Role.CHANNEL_MANAGER))

    rows = _rows(client, "?fields=tier,name,id")

    # only the keys named, in the row's own order, with the full row's values; other tenants' absent
    assert rows == [
        {"id": partners[0].pk, "name": "Atlas", "tier": "A"},
        {"id": partners[1].pk, "name": "Boreal", "tier": "B"},
        {"id": partners[2].pk, "name": "Cirrus", "tier": None},
    ]


def test_spaces_repeats_and_filters_are_taken_as_meant(api, tenant, member, partners):
    client = api(member(tenant, Role.CHANNEL_MANAGER))

    rows = _rows(client, "?fields=name,%20url%20,name,&tier=B")

    assert rows == [{"name": "Boreal", "url": f"http://testserver{BASE}/partners/{partners[1].pk}/"}]
    assert _rows(client, "?fields=") == _rows(client, "")  # an empty choice: the full row


@pytest.mark.parametrize("role", ["staff", "partner user"])
def test_a_row_of_every_field_is_the_full_row(api, tenant, member, partner_user, partners, role):
    user = member(tenant, Role.ADMIN) if role == "staff" else partner_user(tenant, partner=partners[0])
    every = STAFF_FIELDS if role == "staff" else PARTNER_USER_FIELDS
    client = api(user)

    assert _rows(client, f"?fields={','.join(reversed(every))}") == _rows(client, "")


def test_the_full_row_links_its_detail(api, tenant, member, partners):
    client = api(member(tenant, Role.CHANNEL_MANAGER))

    for row in _rows(client, ""):
        detail = client.get(row["url"])
        assert detail.status_code == 200 and detail.json()["id"] == row["id"]


def test_an_unknown_field_is_a_400_naming_it(api, tenant, member, partners):
    client = api(member(tenant, Role.CHANNEL_MANAGER))

    response = client.get(f"{BASE}/partners/?fields=id,colour,name,Tier")

    assert response.status_code == 400
    assert response.json() == {"fields": ["Tier: Unknown field.", "colour: Unknown field."]}


def test_partner_users_see_only_their_own_partner_and_fields(api, tenant, partner_user, partners):
    client = api(partner_user(tenant, partner=partners[1]))

    rows = _rows(client, "?fields=id,name,tier,url")
    refused = client.get(f"{BASE}/partners/?fields=id,health")  # the vendor's early warning

    assert rows == [
        {
            "id": partners[1].pk,
            "name": "Boreal",
            "tier": "B",
            "url": f"http://testserver{BASE}/partners/{partners[1].pk}/",
        }
    ]
    assert refused.status_code == 400 and "health" in refused.json()["fields"][0]


def _statements(queries) -> list[str]:
    """The statements that read or write rows (a request's transaction and savepoints left out)."""
    return [
        q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN"))
    ]


def test_a_sparse_page_reads_only_what_its_fields_need(api, tenant, member, partners):
    client = api(member(tenant, Role.CHANNEL_MANAGER))
    _rows(client, "?fields=id,name,tier")  # (the first request of a process warms caches)

    with CaptureQueriesContext(connection) as queries:
        _rows(client, "?fields=id,name,tier")
    PartnerFactory.create_batch(30, tenant=tenant)
    with CaptureQueriesContext(connection) as more:
        assert len(_rows(client, "?fields=id,name,tier")) == 33

    # the caller's membership, the kept count, the page: no contacts, no owners, whatever the page
    statements = _statements(queries)
    assert len(statements) == 3 == len(_statements(more))
    page = next(sql for sql in statements if 'FROM "partners_partner"' in sql and "LIMIT" in sql)
    selected = page.split(" FROM ")[0]
    assert "tier_axes" not in selected and "health_reasons" not in selected and "website" not in selected
    assert not [sql for sql in statements if "partners_contact" in sql]


def test_contacts_are_read_only_when_chosen(api, tenant, member, partners):
    client = api(member(tenant, Role.CHANNEL_MANAGER))

    with CaptureQueriesContext(connection) as queries:
        rows = _rows(client, "?fields=name,contacts")

    assert [len(row["contacts"]) for row in rows] == [1, 0, 0] and rows[0]["contacts"][0]["name"] == "Jo"
    assert len([q for q in queries if "partners_contact" in q["sql"]]) == 1


def test_the_openapi_document_offers_fields_and_partial_rows(api, tenant, member):
    schema = api(member(tenant, Role.ADMIN)).get("/api/schema/", HTTP_ACCEPT="application/json").json()

    listing = schema["paths"]["/api/v1/tenants/{tenant}/partners/"]["get"]
    row = schema["components"]["schemas"]["PartnerListRow"]
    assert "fields" in [p["name"] for p in listing["parameters"]]
    assert listing["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["results"][
        "items"
    ] == {"$ref": "#/components/schemas/PartnerListRow"}
    assert "required" not in row and set(STAFF_FIELDS) == set(row["properties"])

"""The partner list's count: kept by the database as partners come and go (an import, a delete,
raw SQL), read instead of counting every partner, exact for filtered lists and partner users."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.lifecycle.prospect_import import partners_import
from partners.models import Partner
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory
from tests.partners.test_partner_import import ROSTER, upload

pytestmark = pytest.mark.django_db


def listed(client, query="") -> dict:
    response = client.get(f"/api/v1/tenants/alpha/partners/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_unfiltered_count_follows_partners_created_imported_and_deleted(
    tenant, other_tenant, member, api
):
    # given: partners of this tenant and of another
    manager = member(tenant, Role.CHANNEL_MANAGER, username="maria")
    client = api(manager)
    PartnerFactory.create_batch(3, tenant=tenant)
    PartnerFactory.create_batch(4, tenant=other_tenant)

    # when: an import adds two, one is deleted, one is added through the API
    with tenant_context(tenant):
        partners_import(tenant=tenant, actor=manager, file=upload(ROSTER))
        Partner.objects.filter(name="Baltic Motion").delete()
    created = client.post(
        "/api/v1/tenants/alpha/partners/", {"name": "Carpathia IT", "region": "East"}, format="json"
    )

    # then: 3 + 2 - 1 + 1, this tenant's only, as a count of the rows says
    assert created.status_code == 201, created.content
    with tenant_context(tenant):
        assert listed(client)["count"] == 5 == Partner.objects.count()


def test_the_unfiltered_list_reads_its_count_without_counting_partners(tenant, member, api):
    # given
    PartnerFactory.create_batch(3, tenant=tenant)
    client = api(member(tenant, Role.CHANNEL_MANAGER))

    # when
    with CaptureQueriesContext(connection) as queries:
        page = listed(client, "?page_size=2")

    # then: two rows, a next page, the count of three, and no COUNT over the partner table
    assert (page["count"], len(page["results"]), page["next"] is not None) == (3, 2, True)
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "partners_partner" in q["sql"]]


def test_a_filtered_list_and_a_partner_user_count_their_own_rows(tenant, member, partner_user, api):
    # given
    PartnerFactory.create_batch(2, tenant=tenant, stage="signed")
    PartnerFactory.create_batch(3, tenant=tenant, stage="prospecting")
    own = partner_user(tenant)

    # then
    manager = api(member(tenant, Role.CHANNEL_MANAGER))
    assert listed(manager, "?stage=signed")["count"] == 2
    assert listed(manager, "?q=zzz-nobody")["count"] == 0
    assert listed(api(own))["count"] == 1
    assert listed(manager)["count"] == 6


def test_the_partner_page_says_how_many_partners_from_the_kept_count(tenant, member, web):
    # given: 51 partners, one page and one row
    PartnerFactory.create_batch(51, tenant=tenant)
    client = web(member(tenant, Role.CHANNEL_MANAGER))

    # when
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/t/alpha/partners/")
    filtered = client.get("/t/alpha/partners/?q=zzz-nobody")

    # then: two pages, counted without a COUNT over the partners; a filtered page counts its rows
    assert page.context["paginator"].count == 51 and page.context["paginator"].num_pages == 2
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "partners_partner" in q["sql"]]
    assert filtered.context["paginator"].count == 0

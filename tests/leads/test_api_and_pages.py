"""Leads as clients and people reach them: the API walk, the pages, the import and the public form."""

import io

import pytest

from leads.models import Lead
from prm.tenancy.choices import Role
from tests.factories import LeadRuleFactory, PartnerFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


@pytest.fixture
def nordwind(tenant):
    LeadRuleFactory(tenant=tenant, name="North", regions=["North"], respond_within_hours=48)
    return PartnerFactory(tenant=tenant, name="Nordwind", region="North", stage="signed", computed_tier="A")


def test_a_lead_walks_from_the_manager_to_the_partners_deal_through_the_api(
    api, tenant, manager, nordwind, partner_user
):
    staff, partner = api(manager), api(partner_user(tenant, partner=nordwind))
    stranger = api(partner_user(tenant, partner=PartnerFactory(tenant=tenant, stage="signed")))

    created = staff.post(
        f"{BASE}/leads/", {"customer": "Initech", "region": "North", "expected_amount": "5000"}, format="json"
    )
    lead_id = created.json()["id"]
    mine = partner.get(f"{BASE}/leads/?status=offered").json()
    hidden = stranger.get(f"{BASE}/leads/{lead_id}/")
    staff_accepting = staff.post(f"{BASE}/leads/{lead_id}/accept/")
    accepted = partner.post(f"{BASE}/leads/{lead_id}/accept/")
    converted = partner.post(f"{BASE}/leads/{lead_id}/convert/")
    after = partner.get(f"{BASE}/leads/{lead_id}/").json()

    assert created.status_code == 201
    assert (created.json()["status"], created.json()["partner"]) == ("offered", nordwind.pk)
    assert created.json()["respond_by"] and created.json()["offers"][0]["outcome"] == "pending"
    assert [lead["id"] for lead in mine["results"]] == [lead_id]
    assert hidden.status_code == 404 and staff_accepting.status_code == 403
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert converted.status_code == 201 and converted.json()["customer"] == "Initech"
    assert (after["status"], after["deal"]) == ("converted", converted.json()["id"])


def test_declining_needs_a_reason_and_partners_may_not_read_the_rules(
    api, tenant, nordwind, partner_user, manager
):
    lead = (
        api(manager).post(f"{BASE}/leads/", {"customer": "Initech", "region": "North"}, format="json").json()
    )
    partner = api(partner_user(tenant, partner=nordwind))

    no_reason = partner.post(f"{BASE}/leads/{lead['id']}/decline/", {}, format="json")
    declined = partner.post(f"{BASE}/leads/{lead['id']}/decline/", {"reason": "Too far"}, format="json")

    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    # nobody else fits: the lead waits, declined, and the partner no longer sees it
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert partner.get(f"{BASE}/leads/{lead['id']}/").status_code == 404
    assert partner.get(f"{BASE}/lead-rules/").status_code == 403
    assert api(manager).get(f"{BASE}/lead-rules/").json()["results"][0]["name"] == "North"


def test_a_lead_rule_is_written_through_the_api_in_the_reference_spelling(api, tenant, member):
    admin = api(member(tenant, Role.ADMIN))
    bad = admin.post(f"{BASE}/lead-rules/", {"name": "X", "tier_weights": {"E": 1}}, format="json")
    good = admin.post(
        f"{BASE}/lead-rules/",
        {"name": "South", "regions": ["South"], "tier_weights": {"D": 0}},
        format="json",
    )
    assert bad.status_code == 400 and "tier_weights" in bad.json()
    assert good.status_code == 201 and good.json()["tier_weights"] == {"D": 0}


def test_an_import_names_each_bad_row_writes_nothing_and_a_second_run_creates_nothing(
    api, tenant, manager, nordwind
):
    def upload(text):
        file = io.BytesIO(text.encode())
        file.name = "leads.csv"
        return api(manager).post(f"{BASE}/leads/import/", {"file": file}, format="multipart")

    bad = upload("external_id,customer,expected_amount\nL-1,Initech,100\nL-2,,lots\n")
    good_file = "external_id,customer,region\nL-1,Initech,North\nL-2,Globex,North\n"
    first, again = upload(good_file), upload(good_file)

    assert bad.status_code == 400
    assert {(e["row"], e["field"]) for e in bad.json()["errors"]} == {(3, "expected_amount")}
    assert first.status_code == 200 and (first.json()["created"], again.json()["created"]) == (2, 0)
    assert again.json()["unchanged"] == 2
    assert set(Lead.objects.for_tenant(tenant).values_list("status", flat=True)) == {"offered"}


def test_the_public_form_leaves_a_lead_that_is_offered(client, tenant, nordwind):
    page = client.get("/find-a-partner/alpha/")
    sent = client.post(
        "/find-a-partner/alpha/",
        {
            "customer": "Umbrella SA",
            "contact_email": "buy@umbrella.example",
            "region": "North",
            "description": "Ten robot arms",
        },
    )
    lead = Lead.objects.for_tenant(tenant).get()
    assert page.status_code == 200 and sent.status_code == 200 and b"lead-received" in sent.content
    assert (lead.source, lead.status, lead.partner) == ("form", "offered", nordwind)


def test_the_pages_show_the_queue_and_the_partners_leads_and_record(
    web, client, tenant, manager, nordwind, partner_user
):
    manager_page = web(manager).post("/t/alpha/leads/", {"customer": "Initech", "region": "North"})
    lead = Lead.objects.for_tenant(tenant).get()
    queue = web(manager).get("/t/alpha/leads/").content.decode()
    client.logout()
    partner = web(partner_user(tenant, partner=nordwind))
    mine = partner.get("/t/alpha/leads/").content.decode()
    accepted = partner.post(f"/t/alpha/leads/{lead.pk}/accept/")
    client.logout()
    record = web(manager).get(f"/t/alpha/partners/{nordwind.pk}/").content.decode()

    assert manager_page.status_code == 302 and "Initech" in queue and 'data-testid="lead-counts"' in queue
    assert f"/t/alpha/leads/{lead.pk}/accept/" in mine
    assert accepted.status_code == 302
    assert 'data-testid="partner-leads"' in record and "100.0%" in record

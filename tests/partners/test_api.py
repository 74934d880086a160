"""The partners API as integrations use it: the contract rows of API.md."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from partners.models import DealRegistration, Partner, Sale
from prm.jobs.models import Job
from prm.tenancy.choices import Role
from tests.factories import ContactFactory, PartnerFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def test_create_a_partner_with_contacts_starts_prospecting_with_a_due_date(api, manager):
    response = api(manager).post(
        f"{BASE}/partners/",
        {
            "name": "Nordwind",
            "region": "North",
            "country": "DE",
            "source": "referral",
            "referrer": "Ana",
            "contacts": [{"name": "Jo", "email": "jo@nordwind.example"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["stage"] == "prospecting" and body["tier"] is None and body["overdue"] is False
    assert body["contacts"][0]["name"] == "Jo"
    due = timezone.datetime.fromisoformat(body["stage_due_at"]) - timezone.datetime.fromisoformat(
        body["stage_entered_at"]
    )
    assert due == timedelta(days=7)


def test_partner_fields_of_the_contract_are_there(api, manager, tenant):
    partner = PartnerFactory(tenant=tenant)
    body = api(manager).get(f"{BASE}/partners/{partner.pk}/").json()
    for field in (
        "id",
        "name",
        "region",
        "country",
        "source",
        "referrer",
        "owner",
        "stage",
        "stage_entered_at",
        "stage_due_at",
        "overdue",
        "tier",
        "tier_overridden",
        "created_at",
    ):
        assert field in body


def test_list_filters_by_stage_tier_overdue_and_name(api, manager, tenant):
    late = PartnerFactory(
        tenant=tenant,
        name="Late Ltd",
        stage="first_talks",
        stage_due_at=timezone.now() - timedelta(days=1),
        computed_tier="C",
    )
    PartnerFactory(
        tenant=tenant,
        name="Fine SA",
        stage="selection",
        stage_due_at=timezone.now() + timedelta(days=9),
        computed_tier="C",
        tier_override="A",
    )
    client = api(manager)

    def names(query):
        return sorted(p["name"] for p in client.get(f"{BASE}/partners/?{query}").json()["results"])

    assert names("stage=first_talks") == ["Late Ltd"]
    assert names("overdue=true") == ["Late Ltd"]
    assert names("overdue=false") == ["Fine SA"]
    assert names("tier=A") == ["Fine SA"]  # the override is the tier in force
    assert names("tier=C") == ["Late Ltd"]
    assert names("q=fine") == ["Fine SA"]
    assert client.get(f"{BASE}/partners/{late.pk}/").json()["overdue"] is True


def test_refused_transition_lists_every_unmet_gate(api, manager, tenant):
    partner = PartnerFactory(tenant=tenant)
    response = api(manager).post(
        f"{BASE}/partners/{partner.pk}/transition/", {"to": "strategic"}, format="json"
    )
    assert response.status_code == 400
    problems = response.json()["to"]
    assert len(problems) == 4
    assert any("contact" in p for p in problems) and any("visit" in p for p in problems)
    assert any("selection assessment" in p for p in problems) and any("regional lead" in p for p in problems)
    assert Partner.objects.for_tenant(tenant).get(pk=partner.pk).stage == "prospecting"


def test_transition_history_and_tier_override_round_trip(api, manager, tenant):
    partner = PartnerFactory(tenant=tenant)
    ContactFactory(tenant=tenant, partner=partner)
    client = api(manager)
    moved = client.post(
        f"{BASE}/partners/{partner.pk}/transition/",
        {"to": "first_talks", "note": "Met at the fair"},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "first_talks"
    override = client.post(
        f"{BASE}/partners/{partner.pk}/tier-override/", {"tier": "B", "reason": "Key account"}, format="json"
    )
    assert override.json()["tier"] == "B" and override.json()["tier_overridden"] is True
    removed = client.post(f"{BASE}/partners/{partner.pk}/tier-override/", {"tier": None}, format="json")
    assert removed.json()["tier_overridden"] is False

    history = client.get(f"{BASE}/partners/{partner.pk}/history/").json()["results"]
    assert [(e["type"], e["to"]) for e in history][:3] == [
        ("tier", ""),
        ("tier", "B"),
        ("stage", "first_talks"),
    ]
    assert history[1]["why"] == "Key account" and history[1]["by"] == manager.username
    assert history[2]["from"] == "prospecting" and history[2]["why"] == "Met at the fair"

    # and page by page, newest first, each event once
    first = client.get(f"{BASE}/partners/{partner.pk}/history/?page_size=2").json()
    rest = client.get(first["next"]).json()
    assert [e["id"] for e in first["results"] + rest["results"]] == [e["id"] for e in history]
    assert first["previous"] is None and rest["next"] is None
    assert [e["id"] for e in client.get(rest["previous"]).json()["results"]] == [
        e["id"] for e in first["results"]
    ]


def test_only_a_regional_lead_or_admin_approves_for_signing(api, manager, tenant, member):
    partner = PartnerFactory(tenant=tenant, stage="selection")
    assert api(manager).post(f"{BASE}/partners/{partner.pk}/approve/", {}, format="json").status_code == 403
    lead = member(tenant, Role.REGIONAL_LEAD)
    response = api(lead).post(f"{BASE}/partners/{partner.pk}/approve/", {"note": "Good fit"}, format="json")
    assert response.status_code == 200 and response.json()["lead_approved_at"]


def test_visits_are_logged_with_objections_and_listed(api, manager, tenant):
    partner = PartnerFactory(tenant=tenant)
    client = api(manager)
    created = client.post(
        f"{BASE}/partners/{partner.pk}/visits/",
        {
            "date": "2026-11-02",
            "kind": "demo",
            "summary": "Showed the arm",
            "goal_met": True,
            "objections": [{"type": "price", "note": "Margin too thin"}, {"type": "brand"}],
            "make_target": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    listed = client.get(f"{BASE}/partners/{partner.pk}/visits/").json()
    assert listed["count"] == 1
    assert [o["type"] for o in listed["results"][0]["objections"]] == ["price", "brand"]
    bad = client.post(
        f"{BASE}/partners/{partner.pk}/visits/",
        {"date": "2026-11-02", "summary": "x", "objections": [{"type": "weather"}]},
        format="json",
    )
    assert bad.status_code == 400 and "objections" in bad.json()


def test_assessment_errors_name_the_criterion(api, manager, tenant):
    partner = PartnerFactory(tenant=tenant)
    response = api(manager).post(
        f"{BASE}/partners/{partner.pk}/assessments/",
        {"kind": "tier", "ratings": {"competitiveness": 4, "willingness": 9}},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"ratings.willingness", "ratings.autonomy"}


def test_sales_import_is_all_or_nothing_and_idempotent(api, manager, tenant):
    partner = PartnerFactory(tenant=tenant, name="Nordwind", stage="signed")
    good = f"external_id,partner,date,product,quantity,amount,currency,customer\nA1,{partner.pk},2026-10-01,Arm,1,1200.5,EUR,Contoso\nA2,Nordwind,2026-10-02,Arm,2,-300,EUR,Contoso\n"
    bad = good + "A3,Nobody,2026-13-01,Arm,1,abc,EUR,X\n"
    client = api(manager)

    rejected = client.post(f"{BASE}/sales/import/", {"file": io.BytesIO(bad.encode())}, format="multipart")
    assert rejected.status_code == 400
    assert {(e["row"], e["field"]) for e in rejected.json()["errors"]} == {
        (4, "partner"),
        (4, "date"),
        (4, "amount"),
    }
    assert not Sale.objects.for_tenant(tenant).exists()

    first = client.post(f"{BASE}/sales/import/", {"file": io.BytesIO(good.encode())}, format="multipart")
    assert first.json() == {"created": 2, "unchanged": 0}
    again = client.post(f"{BASE}/sales/import/", {"file": io.BytesIO(good.encode())}, format="multipart")
    assert again.json() == {"created": 0, "unchanged": 2}
    assert Sale.objects.for_tenant(tenant).count() == 2
    assert client.get(f"{BASE}/sales/?partner={partner.pk}").json()["results"][0]["amount"] in {
        "1200.50",
        "-300.00",
    }


def test_finance_reads_sales_but_never_edits_them(api, tenant, member):
    finance = member(tenant, Role.FINANCE)
    partner = PartnerFactory(tenant=tenant)
    assert api(finance).get(f"{BASE}/sales/").status_code == 200
    response = api(finance).post(
        f"{BASE}/sales/",
        {"external_id": "X", "partner": partner.pk, "date": "2026-01-01", "product": "p", "amount": "1"},
        format="json",
    )
    assert response.status_code == 403


def test_deal_registration_flags_another_partners_open_deal_for_the_same_customer(
    api, manager, tenant, partner_user
):
    mine, rival = PartnerFactory(tenant=tenant, stage="signed"), PartnerFactory(tenant=tenant, stage="signed")
    client = api(manager)
    first = client.post(
        f"{BASE}/deals/",
        {"partner": rival.pk, "customer": "ACME Robotics, S.A.", "expected_amount": "1000"},
        format="json",
    )
    assert first.status_code == 201 and first.json()["conflicts"] == []

    partner_client = api(partner_user(tenant, partner=mine))
    second = partner_client.post(
        f"{BASE}/deals/",
        {"customer": "Acme Robotics SA", "expected_amount": "2500.00", "partner": rival.pk},
        format="json",
    )
    assert second.status_code == 201
    assert second.json()["partner"] == mine.pk  # a partner user registers for itself only
    assert second.json()["conflicts"] == []  # another partner's registration is not the partner's to see
    assert [d["id"] for d in partner_client.get(f"{BASE}/deals/").json()["results"]] == [second.json()["id"]]
    listed = {d["id"]: d["conflicts"] for d in client.get(f"{BASE}/deals/").json()["results"]}
    assert listed == {first.json()["id"]: [second.json()["id"]], second.json()["id"]: [first.json()["id"]]}


def test_rejecting_a_deal_needs_a_reason(api, manager, tenant):
    deal = DealRegistration.objects.for_tenant(tenant).create(
        tenant=tenant,
        partner=PartnerFactory(tenant=tenant),
        customer="C",
        customer_key="c",
        expected_amount=1,
        currency="EUR",
        expires_at=timezone.now() + timedelta(days=9),
    )
    client = api(manager)
    assert (
        client.post(f"{BASE}/deals/{deal.pk}/decide/", {"approve": False}, format="json").status_code == 400
    )
    decided = client.post(
        f"{BASE}/deals/{deal.pk}/decide/", {"approve": False, "reason": "Duplicate"}, format="json"
    )
    assert decided.json()["status"] == "rejected" and decided.json()["decision_reason"] == "Duplicate"


def test_tier_recompute_answers_202_with_a_job_that_finishes(
    api, manager, tenant, django_capture_on_commit_callbacks
):
    PartnerFactory.create_batch(3, tenant=tenant)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(manager).post(f"{BASE}/tiers/recompute/")
    assert response.status_code == 202
    body = response.json()
    assert set(body) >= {"id", "kind", "status", "progress", "url"}
    job = Job.objects.for_tenant(tenant).get(pk=body["id"])
    assert job.status == "succeeded" and job.result["partners"] == 3
    assert all(p.computed_tier for p in Partner.objects.for_tenant(tenant))


def test_partner_list_query_count_does_not_grow_with_partners(
    api, manager, tenant, django_assert_max_num_queries
):
    client = api(manager)
    for _ in range(3):
        ContactFactory(tenant=tenant, partner=PartnerFactory(tenant=tenant, owner=manager))
    with django_assert_max_num_queries(20) as few:
        client.get(f"{BASE}/partners/")
    for _ in range(30):
        ContactFactory(tenant=tenant, partner=PartnerFactory(tenant=tenant, owner=manager))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(f"{BASE}/partners/").json()
    assert body["count"] == 33
    assert all(len(p["contacts"]) == 1 for p in body["results"])  # each its own contact, read in one query


def test_partner_user_sees_only_its_own_partner(api, tenant, partner_user):
    mine = PartnerFactory(tenant=tenant)
    PartnerFactory(tenant=tenant)
    body = api(partner_user(tenant, partner=mine)).get(f"{BASE}/partners/").json()
    assert [p["id"] for p in body["results"]] == [mine.pk]


def test_partner_csv_export_follows_the_filters(api, manager, tenant):
    PartnerFactory(tenant=tenant, name="Alpha GmbH", stage="selection")
    PartnerFactory(tenant=tenant, name="Beta SA", stage="prospecting")
    response = api(manager).get(f"{BASE}/partners/export/?stage=selection")
    lines = response.content.decode().strip().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("id,name,region") and len(lines) == 2 and "Alpha GmbH" in lines[1]


def test_a_partner_user_does_not_see_the_vendors_internal_notes(api, tenant, partner_user):
    mine = PartnerFactory(tenant=tenant, lines_carried="Competitor X", inactive_reason="Price war")
    body = api(partner_user(tenant, partner=mine)).get(f"{BASE}/partners/{mine.pk}/").json()
    assert body["name"] == mine.name and "tier" in body
    assert "lines_carried" not in body and "inactive_reason" not in body and "lead_approved_at" not in body


def test_a_prospect_cannot_be_approved_for_signing_yet(api, tenant, member):
    partner = PartnerFactory(tenant=tenant, stage="prospecting")
    response = api(member(tenant, Role.REGIONAL_LEAD)).post(
        f"{BASE}/partners/{partner.pk}/approve/", {}, format="json"
    )
    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)  # the contract's {"detail": "message"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "tier", "ratings": []}, "ratings"),
        ({"kind": "tier", "ratings": 5}, "ratings"),
        (
            {
                "kind": "selection",
                "ratings": {
                    k: 3
                    for k in (
                        "business_direction",
                        "customer_base",
                        "integrity",
                        "financial_strength",
                        "other_lines",
                    )
                },
                "needs": 5,
            },
            "needs",
        ),
    ],
)
def test_oddly_typed_assessments_get_a_400_naming_the_field(api, manager, tenant, payload, field):
    partner = PartnerFactory(tenant=tenant)
    response = api(manager).post(f"{BASE}/partners/{partner.pk}/assessments/", payload, format="json")
    assert response.status_code == 400 and field in response.json()


def test_a_customer_contact_that_is_no_url_still_registers_the_deal(api, manager, tenant):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    response = api(manager).post(
        f"{BASE}/deals/",
        {
            "partner": partner.pk,
            "customer": "Odd Co",
            "customer_contact": "http://[abc",
            "expected_amount": "1",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["customer_domain"] == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("external_id,partner,date,product,amount\nA1,1,2026-01-01,Arm,1e30\n", "amount"),
        ("external_id,partner,date,product,amount\nA1,1,2026-01-01,Arm\x00,1\n", "file"),
    ],
)
def test_hostile_csv_files_are_rejected_with_a_message(api, manager, tenant, content, message):
    PartnerFactory(tenant=tenant, pk=1)
    response = api(manager).post(
        f"{BASE}/sales/import/", {"file": io.BytesIO(content.encode())}, format="multipart"
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [message]


def test_csv_export_quotes_text_a_spreadsheet_would_run(api, manager, tenant):
    PartnerFactory(tenant=tenant, name='=HYPERLINK("http://evil")')
    body = api(manager).get(f"{BASE}/partners/export/").content.decode()
    assert "'=HYPERLINK" in body

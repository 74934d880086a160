"""What a portal user can see or change is in the API too: agreement versions, checklists, announcements,
contacts, the playbook, notification preferences, certificates and the tier's explanation."""

import io

import pytest
from pypdf import PdfReader

from partners.choices import Stage
from partners.tiering.recompute import tiers_recompute
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import (
    AgreementTemplateFactory,
    AssessmentFactory,
    ChecklistStepFactory,
    ChecklistTemplateStepFactory,
    ContactFactory,
    CourseFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tenants/alpha"


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def test_a_new_agreement_version_replaces_the_offered_one(api, tenant, manager, partner_user):
    old = AgreementTemplateFactory(tenant=tenant, name="Reseller agreement", version="2025")
    client = api(manager)

    created = client.post(
        f"{BASE}/agreement-templates/",
        {"name": "Reseller agreement", "version": "2026", "body": "Terms"},
        format="json",
    )
    again = client.post(
        f"{BASE}/agreement-templates/", {"name": "Reseller agreement", "version": "2026"}, format="json"
    )
    offered = api(partner_user(tenant)).get(f"{BASE}/agreement-templates/?active=true").json()

    assert created.status_code == 201 and created.json()["active"] is True
    assert again.status_code == 400 and "version" in again.json()
    assert [t["version"] for t in offered["results"]] == ["2026"]
    assert client.get(f"{BASE}/agreement-templates/{old.pk}/").json()["active"] is False
    assert (
        api(partner_user(tenant))
        .post(f"{BASE}/agreement-templates/", {"name": "x", "version": "1"})
        .status_code
        == 403
    )


def test_managers_add_checklist_steps_and_tick_a_partners_step(api, tenant, manager, partner_user):
    partner = PartnerFactory(tenant=tenant, stage=Stage.SIGNED)
    step = ChecklistStepFactory(tenant=tenant, partner=partner, title="Kick-off call")
    client = api(manager)

    added = client.post(f"{BASE}/checklist-templates/", {"title": "Demo kit shipped"}, format="json")
    ticked = client.patch(f"{BASE}/checklist-steps/{step.pk}/", {"done": True}, format="json")
    theirs = api(partner_user(tenant, partner)).get(f"{BASE}/checklist-steps/").json()
    forbidden = api(partner_user(tenant, partner)).patch(
        f"{BASE}/checklist-steps/{step.pk}/", {"done": False}, format="json"
    )

    assert added.status_code == 201 and added.json()["title"] == "Demo kit shipped"
    assert ticked.status_code == 200 and ticked.json()["done"] is True and ticked.json()["done_at"]
    assert [(s["title"], s["done"]) for s in theirs["results"]] == [("Kick-off call", True)]
    assert forbidden.status_code == 403
    assert AuditEntry.objects.for_tenant(tenant).filter(action="checklist.step_done").count() == 1


def test_another_partners_checklist_is_not_found(api, tenant, partner_user):
    other = ChecklistStepFactory(tenant=tenant, partner=PartnerFactory(tenant=tenant))

    assert api(partner_user(tenant)).get(f"{BASE}/checklist-steps/{other.pk}/").status_code == 404


def test_announcements_are_published_by_managers_and_read_by_partners(api, tenant, manager, partner_user):
    created = api(manager).post(
        f"{BASE}/announcements/", {"title": "New price list", "body": "From 1 January."}, format="json"
    )
    read = api(partner_user(tenant)).get(f"{BASE}/announcements/").json()

    assert created.status_code == 201
    assert [a["title"] for a in read["results"]] == ["New price list"]
    assert AuditEntry.objects.for_tenant(tenant).filter(action="announcement.published").exists()
    assert (
        api(partner_user(tenant)).post(f"{BASE}/announcements/", {"title": "x", "body": "y"}).status_code
        == 403
    )


def test_a_partners_contacts_are_listed_added_changed_and_removed(api, tenant, manager):
    partner = PartnerFactory(tenant=tenant, stage=Stage.FIRST_TALKS)
    first = ContactFactory(tenant=tenant, partner=partner, name="Ana Lima")
    client = api(manager)
    url = f"{BASE}/partners/{partner.pk}/contacts/"

    added = client.post(url, {"name": "Jon Berg", "email": "jon@example.com"}, format="json")
    changed = client.patch(f"{url}{first.pk}/", {"role": "CEO"}, format="json")
    removed = client.delete(f"{url}{added.json()['id']}/")
    last = client.delete(f"{url}{first.pk}/")

    assert added.status_code == 201
    assert changed.status_code == 200 and changed.json()["role"] == "CEO"
    assert removed.status_code == 204
    assert last.status_code == 400, "a partner in first talks keeps one contact"
    assert [c["name"] for c in client.get(url).json()] == ["Ana Lima"]
    assert (
        AuditEntry.objects.for_tenant(tenant)
        .filter(action__in=["contact.changed", "contact.removed"])
        .count()
        == 2
    )


def test_another_tenants_contact_is_not_found(api, tenant, other_tenant, manager):
    partner = PartnerFactory(tenant=tenant)
    stranger = ContactFactory(tenant=other_tenant, partner=PartnerFactory(tenant=other_tenant))

    response = api(manager).patch(
        f"{BASE}/partners/{partner.pk}/contacts/{stranger.pk}/", {"role": "x"}, format="json"
    )

    assert response.status_code == 404


def test_the_playbook_per_objection_type_is_read_and_set(api, tenant, manager, member):
    client = api(manager)

    listed = client.get(f"{BASE}/playbook/").json()
    changed = client.put(
        f"{BASE}/playbook/price/", {"response": "Offer one trial deal at partner margin."}, format="json"
    )
    finance = api(member(tenant, Role.FINANCE)).put(
        f"{BASE}/playbook/price/", {"response": "x"}, format="json"
    )

    assert {e["type"] for e in listed} >= {"price", "brand", "service"} and all(
        e["is_default"] for e in listed
    )
    assert changed.status_code == 200
    assert changed.json() == {
        "type": "price",
        "label": "Price",
        "response": "Offer one trial deal at partner margin.",
        "is_default": False,
    }
    assert finance.status_code == 403
    assert client.get(f"{BASE}/playbook/luck/").status_code == 404


def test_each_user_reads_and_sets_their_own_notification_preferences(api, tenant, partner_user, manager):
    user = partner_user(tenant)

    before = api(user).get(f"{BASE}/me/notifications/").json()
    after = api(user).patch(f"{BASE}/me/notifications/", {"stage_moves": False}, format="json")
    bad = api(user).patch(f"{BASE}/me/notifications/", {"weather": True}, format="json")

    assert {p["category"]: p["enabled"] for p in before}["stage_moves"] is True
    assert {p["category"]: p["enabled"] for p in after.json()}["stage_moves"] is False
    assert bad.status_code == 400 and "weather" in bad.json()
    assert {p["category"]: p["enabled"] for p in api(manager).get(f"{BASE}/me/notifications/").json()}[
        "stage_moves"
    ] is True


def test_a_certified_partner_downloads_its_certificate_and_others_get_404(api, tenant, partner_user):
    certified = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage=Stage.CERTIFIED)
    CourseFactory(tenant=tenant)
    signed = PartnerFactory(tenant=tenant, stage=Stage.SIGNED)

    mine = api(partner_user(tenant, certified)).get(f"{BASE}/partners/{certified.pk}/certificate/")
    not_certified = api(partner_user(tenant, signed)).get(f"{BASE}/partners/{signed.pk}/certificate/")
    someone_elses = api(partner_user(tenant, signed)).get(f"{BASE}/partners/{certified.pk}/certificate/")

    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    assert "Nordwind Systems" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(mine.content)).pages)
    assert not_certified.status_code == 404 and someone_elses.status_code == 404


def test_the_partner_carries_its_tier_explanation(api, tenant, manager, partner_user):

    partner = PartnerFactory(tenant=tenant, stage=Stage.SIGNED)
    AssessmentFactory(
        tenant=tenant,
        partner=partner,
        kind="tier",
        ratings={a: {"score": 5} for a in ("competitiveness", "willingness", "autonomy")},
    )
    with tenant_context(tenant):
        tiers_recompute(tenant=tenant)

    staff = api(manager).get(f"{BASE}/partners/{partner.pk}/").json()["tier_explanation"]
    own = api(partner_user(tenant, partner)).get(f"{BASE}/partners/{partner.pk}/").json()["tier_explanation"]

    assert staff == own
    assert staff["tier"] == "A" and staff["rule"] == "SHS"
    assert {k: staff["axes"]["autonomy"][k] for k in ("score", "threshold", "strong")} == {
        "score": 100.0,
        "threshold": 50.0,
        "strong": True,
    }
    assert staff["sentence"].startswith("competitiveness 100 ≥ 50 (strong)") and staff["sentence"].endswith(
        "→ A"
    )


def test_a_step_after_the_highest_position_still_saves(api, tenant, manager):

    ChecklistTemplateStepFactory(tenant=tenant, title="Last", position=32767)

    response = api(manager).post(f"{BASE}/checklist-templates/", {"title": "One more"}, format="json")

    assert response.status_code == 201 and response.json()["position"] == 32767

"""Preparing a first visit: the plan with the programme's checklist, ticked on its page; the day's
round grouped by area; the checklist as a programme setting."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from partners.models import VisitPlan
from partners.programme.settings import programme_save
from partners.visiting.plans import day_by_area, plan_create, plan_update
from partners.visiting.settings import visits_programme_for
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory, VisitPlanFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 7, 1)


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def test_a_new_plan_takes_the_playbooks_checklist_and_the_partners_region(tenant, manager):
    partner = PartnerFactory(tenant=tenant, region="North")

    plan = plan_create(partner=partner, actor=manager, date=DAY, goal="Book a second meeting")

    plan = VisitPlan.objects.for_tenant(tenant).get(pk=plan.pk)
    assert plan.area == "North" and plan.planned_by == manager
    assert [e["item"] for e in plan.checklist] == list(visits_programme_for(tenant).visit_checklist)
    assert "The brochure and the case book" in [e["item"] for e in plan.checklist]
    assert not any(e["done"] for e in plan.checklist) and plan.prepared is False


def test_the_tenant_edits_the_checklist_and_new_plans_follow_it(tenant, manager, member):
    programme_save(
        tenant=tenant,
        actor=member(tenant, Role.ADMIN),
        values={"visit_checklist": ["Cards", " Samples "], "key_partner_meeting": True},
    )
    tenant.refresh_from_db()

    plan = plan_create(
        partner=PartnerFactory(tenant=tenant), actor=manager, date=DAY, goal="Meet", area="Docks"
    )

    assert plan.checklist == [{"item": "Cards", "done": False}, {"item": "Samples", "done": False}]
    assert visits_programme_for(tenant).key_partner_meeting is True


def test_an_empty_checklist_is_refused(tenant, member):
    with pytest.raises(ValidationError) as refused:
        programme_save(tenant=tenant, actor=member(tenant, Role.ADMIN), values={"visit_checklist": []})
    assert "visit_checklist" in refused.value.message_dict


def test_ticking_the_checklist_marks_the_plan_prepared(tenant, manager):
    plan = VisitPlanFactory(tenant=tenant)

    plan_update(plan=plan, actor=manager, done=[1])
    assert [e["done"] for e in plan.checklist] == [False, True] and not plan.prepared
    plan_update(plan=plan, actor=manager, done=[0, 1])
    assert VisitPlan.objects.for_tenant(tenant).get(pk=plan.pk).prepared

    with pytest.raises(ValidationError):
        plan_update(plan=plan, actor=manager, done=[5])


def test_the_day_is_grouped_by_area(tenant):
    docks = VisitPlanFactory(tenant=tenant, date=DAY, area="Docks", partner__name="Zeta")
    centre = VisitPlanFactory(tenant=tenant, date=DAY, area="Centre")
    docks_too = VisitPlanFactory(tenant=tenant, date=DAY, area="Docks", partner__name="Alpha")

    groups = day_by_area(list(VisitPlan.objects.for_tenant(tenant).select_related("partner")))

    assert [(g["area"], g["plans"]) for g in groups] == [("Centre", [centre]), ("Docks", [docks_too, docks])]


# --- pages ----------------------------------------------------------------------------------


def test_a_manager_prepares_ticks_and_sees_the_day_in_the_browser(tenant, manager, web):
    partner = PartnerFactory(tenant=tenant, name="Acme Tools", region="Harbour")
    client = web(manager)

    response = client.post(
        f"/t/alpha/partners/{partner.pk}/visits/prepare/", {"date": "2026-07-01", "goal": "Find the need"}
    )
    plan = VisitPlan.objects.for_tenant(tenant).get(partner=partner)
    assert response.status_code == 302 and response["Location"] == f"/t/alpha/visits/plans/{plan.pk}/"

    page = client.get(f"/t/alpha/visits/plans/{plan.pk}/").content.decode()
    assert 'data-testid="partner-sheet"' in page and "Find the need" in page
    assert (
        client.post(f"/t/alpha/visits/plans/{plan.pk}/", {"done_0": "on", "done_2": "on"}).status_code == 302
    )
    plan.refresh_from_db()
    assert [i for i, e in enumerate(plan.checklist) if e["done"]] == [0, 2]

    day = client.get("/t/alpha/visits/day/?date=2026-07-01").content.decode()
    assert 'data-testid="visit-area"' in day and "Harbour" in day and "Acme Tools" in day
    assert (
        f"/t/alpha/visits/plans/{plan.pk}/" in client.get(f"/t/alpha/partners/{partner.pk}/").content.decode()
    )


def test_finance_reads_a_plan_but_may_not_tick_it(tenant, member, web):
    plan = VisitPlanFactory(tenant=tenant)
    client = web(member(tenant, Role.FINANCE))

    assert client.get(f"/t/alpha/visits/plans/{plan.pk}/").status_code == 200
    assert client.post(f"/t/alpha/visits/plans/{plan.pk}/", {"done_0": "on"}).status_code == 403


def test_the_checklist_is_a_setting_on_the_programme_page(tenant, member, web):
    html = web(member(tenant, Role.ADMIN)).get("/t/alpha/programme/").content.decode()
    assert 'data-testid="programme-visits-form"' in html and "The partner&#x27;s sheet" in html


# --- API ------------------------------------------------------------------------------------


def test_the_api_prepares_ticks_and_lists_the_day_by_area(tenant, manager, api):
    partner = PartnerFactory(tenant=tenant, region="Harbour")
    client = api(manager)
    base = "/api/v1/tenants/alpha/visit-plans/"

    created = client.post(base, {"partner": partner.pk, "date": "2026-07-01", "goal": "Meet"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["area"] == "Harbour" and body["prepared"] is False and body["visit"] is None
    count = len(body["checklist"])

    ticked = client.patch(f"{base}{body['id']}/", {"done": list(range(count))}, format="json")
    assert ticked.status_code == 200 and ticked.json()["prepared"] is True
    assert client.patch(f"{base}{body['id']}/", {"done": [99]}, format="json").status_code == 400

    day = client.get(f"{base}day/?date=2026-07-01").json()
    assert [(g["area"], [p["id"] for p in g["plans"]]) for g in day] == [("Harbour", [body["id"]])]
    assert client.get(f"{base}?date=2026-07-02").json()["results"] == []
    assert client.get(f"{base}?date=nonsense").status_code == 400


def test_another_tenants_partner_or_plan_is_not_found(tenant, other_tenant, manager, api):
    client = api(manager)
    theirs = PartnerFactory(tenant=other_tenant)
    their_plan = VisitPlanFactory(tenant=other_tenant)

    refused = client.post(
        "/api/v1/tenants/alpha/visit-plans/",
        {"partner": theirs.pk, "date": "2026-07-01", "goal": "x"},
        format="json",
    )
    assert refused.status_code == 400 and "partner" in refused.json()
    assert client.get(f"/api/v1/tenants/alpha/visit-plans/{their_plan.pk}/").status_code == 404


def test_partner_users_have_no_visit_plans(tenant, partner_user, api):
    assert api(partner_user(tenant)).get("/api/v1/tenants/alpha/visit-plans/").status_code in (403, 404)

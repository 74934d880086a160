"""The visit by the playbook's script: each step done with a note, the four concerns rated, where a
missed goal stopped; key partners' senior-leadership meeting before signed; how visits go."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from partners.lifecycle.gates import unmet_gates
from partners.lifecycle.visits import visit_log
from partners.models import Objection, Visit
from partners.programme.settings import programme_save
from partners.visiting.reports import visit_step_report
from prm.periods import parse_period
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory, VisitFactory, VisitPlanFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 7, 1)
SCRIPT = {
    "opening": {"done": True, "note": "Warm welcome"},
    "company": {"done": True, "note": ""},
    "products": {"done": True, "note": "Liked the evidence"},
    "maths": {"done": False, "note": "No time"},
}
MEETING = "A key partner is signed after a senior-leadership meeting with its agreed points recorded."


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def scripted(partner, actor, **kwargs):
    values = {
        "date": DAY,
        "summary": "First visit",
        "script": SCRIPT,
        "concerns": {"money": 4, "easy": 2},
        "stopped_at": "maths",
        "missed_why": "The owner had to leave",
        "objections": [{"type": "price", "note": "Thin margin", "step": "products"}],
        **kwargs,
    }
    return visit_log(partner=partner, actor=actor, **values)


def test_a_scripted_visit_records_its_steps_concerns_and_where_it_stopped(tenant, manager):
    partner = PartnerFactory(tenant=tenant)
    plan = VisitPlanFactory(tenant=tenant, partner=partner)

    visit = scripted(partner, manager, plan=plan)

    visit = Visit.objects.for_tenant(tenant).get(pk=visit.pk)
    assert set(visit.script) == {"opening", "company", "products", "maths"}  # shown in the script's order
    assert visit.script["products"] == {"done": True, "note": "Liked the evidence"}
    assert visit.concerns == {"money": 4, "easy": 2}
    assert (visit.stopped_at, visit.missed_why) == ("maths", "The owner had to leave")
    assert Objection.objects.for_tenant(tenant).get(visit=visit).step == "products"
    plan.refresh_from_db()
    assert plan.visit == visit
    with pytest.raises(ValidationError, match="plan"):  # a plan is carried out once
        scripted(partner, manager, plan=plan)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"script": {"singing": {"done": True}}}, "script"),
        ({"concerns": {"money": 6}}, "concerns"),
        ({"concerns": {"fun": 3}}, "concerns"),
        ({"stopped_at": "dessert"}, "stopped_at"),
        ({"goal_met": True}, "goal_met"),
        ({"objections": [{"type": "price", "step": "nowhere"}]}, "objections"),
        ({"kind": "leadership", "agreed_points": " "}, "agreed_points"),
    ],
)
def test_what_the_script_does_not_know_is_refused_on_its_field(tenant, manager, changes, field):
    with pytest.raises(ValidationError) as refused:
        scripted(PartnerFactory(tenant=tenant), manager, **changes)
    assert field in refused.value.message_dict


def test_a_plain_visit_still_logs_as_before(tenant, manager):
    visit = visit_log(partner=PartnerFactory(tenant=tenant), actor=manager, date=DAY, summary="Call")
    assert (visit.script, visit.concerns, visit.stopped_at) == ({}, {}, "")


def test_the_visit_form_follows_the_script(tenant, manager, web):
    partner = PartnerFactory(tenant=tenant)
    plan = VisitPlanFactory(tenant=tenant, partner=partner, date=DAY)
    client = web(manager)
    url = f"/t/alpha/partners/{partner.pk}/visits/new/?plan={plan.pk}"

    page = client.get(url).content.decode()
    assert 'data-testid="visit-script"' in page and "Doing the maths with the partner" in page
    assert 'value="2026-07-01"' in page

    response = client.post(
        url,
        {
            "date": "2026-07-01",
            "kind": "visit",
            "summary": "Went well until the demo",
            "step_opening": "on",
            "step_opening_note": "Smiles",
            "step_demonstration_note": "Laptop failed",
            "concern_money": "5",
            "concern_sound": "3",
            "objection_service": "Slow answers",
            "objection_service_step": "demonstration",
            "stopped_at": "demonstration",
            "missed_why": "The laptop failed",
        },
    )

    assert response.status_code == 302
    visit = Visit.objects.for_tenant(tenant).get(partner=partner)
    assert visit.script == {
        "opening": {"done": True, "note": "Smiles"},
        "demonstration": {"done": False, "note": "Laptop failed"},
    }
    assert visit.concerns == {"money": 5, "sound": 3} and visit.stopped_at == "demonstration"
    assert Objection.objects.for_tenant(tenant).get(visit=visit).step == "demonstration"
    plan.refresh_from_db()
    assert plan.visit == visit


def test_the_api_records_a_scripted_visit_and_reads_it_back(tenant, manager, api):
    partner = PartnerFactory(tenant=tenant)
    plan = VisitPlanFactory(tenant=tenant, partner=partner)
    url = f"/api/v1/tenants/alpha/partners/{partner.pk}/visits/"
    body = {
        "date": "2026-07-01",
        "summary": "Scripted",
        "script": SCRIPT,
        "concerns": {"safe": 3},
        "stopped_at": "maths",
        "missed_why": "Ran out of time",
        "objections": [{"type": "brand", "step": "cases"}],
        "plan": plan.pk,
    }

    created = api(manager).post(url, body, format="json")

    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["script"]["products"] == {"done": True, "note": "Liked the evidence"}
    assert answer["concerns"] == {"safe": 3} and answer["plan"] == plan.pk
    assert answer["objections"] == [{"type": "brand", "note": "", "step": "cases"}]
    listed = api(manager).get(url).json()["results"][0]
    assert listed["stopped_at"] == "maths" and listed["plan"] == plan.pk
    # the old shape still works
    assert api(manager).post(url, {"date": "2026-07-02", "summary": "Old"}, format="json").status_code == 201
    assert api(manager).post(url, {**body, "plan": 99999999}, format="json").status_code == 400
    assert api(manager).post(url, {**body, "concerns": {"safe": 9}}, format="json").status_code == 400


# --- key partners ---------------------------------------------------------------------------


def test_a_key_partner_needs_a_leadership_meeting_before_signed_when_the_programme_says(
    tenant, manager, member
):
    partner = PartnerFactory(tenant=tenant, stage="strategic", key_partner=True)
    assert MEETING not in unmet_gates(partner, "signed")  # not required by default

    programme_save(tenant=tenant, actor=member(tenant, Role.ADMIN), values={"key_partner_meeting": True})
    partner.tenant.refresh_from_db()
    assert MEETING in unmet_gates(partner, "signed")
    assert MEETING not in unmet_gates(PartnerFactory(tenant=tenant, stage="strategic"), "signed")

    meeting = visit_log(
        partner=partner,
        actor=manager,
        date=DAY,
        kind="leadership",
        summary="Directors met",
        agreed_points="Market plan for the north; price policy as written",
    )
    assert meeting.agreed_points.startswith("Market plan")
    assert MEETING not in unmet_gates(partner, "signed")


def test_the_partner_page_links_the_missing_meeting_to_its_form(tenant, member, web):
    admin = member(tenant, Role.ADMIN)
    programme_save(tenant=tenant, actor=admin, values={"key_partner_meeting": True})
    partner = PartnerFactory(tenant=tenant, stage="strategic", key_partner=True)

    html = web(admin).get(f"/t/alpha/partners/{partner.pk}/").content.decode()

    assert 'data-testid="key-partner"' in html
    assert f"/t/alpha/partners/{partner.pk}/visits/new/?kind=leadership" in html


# --- how visits go --------------------------------------------------------------------------


def test_the_report_counts_steps_reached_where_visits_stop_and_objections_per_step(tenant, manager, api, web):
    partner = PartnerFactory(tenant=tenant, region="North")
    scripted(partner, manager)
    scripted(
        partner,
        manager,
        script={"opening": {"done": True}},
        concerns={"money": 2},
        stopped_at="opening",
        objections=[{"type": "price", "step": "opening"}, {"type": "demand", "step": "opening"}],
    )
    scripted(partner, manager, goal_met=True, stopped_at="", missed_why="", objections=[])
    VisitFactory(tenant=tenant, partner=partner, date=DAY)  # not scripted
    VisitFactory(tenant=tenant, date=date(2025, 1, 1), script=SCRIPT)  # another period

    report = visit_step_report(tenant=tenant, period=parse_period("2026-Q3"))

    steps = {row["step"]: row for row in report["steps"]}
    assert (report["visits"], report["scripted"], report["goal_met"]) == (4, 3, 1)
    assert (steps["opening"]["reached"], steps["products"]["reached"], steps["maths"]["reached"]) == (3, 2, 0)
    assert (steps["opening"]["stopped"], steps["maths"]["stopped"]) == (1, 1)
    assert steps["opening"]["objections"]["price"] == 1 and steps["opening"]["objections_total"] == 2
    assert steps["products"]["objections"] == {
        **dict.fromkeys(steps["products"]["objections"], 0),
        "price": 1,
    }
    assert {c["key"]: c["average"] for c in report["concerns"]}["money"] == 3.3

    answer = api(manager).get("/api/v1/tenants/alpha/reports/visit-steps/?period=2026-Q3").json()
    assert answer["steps"][0]["reached"] == 3
    assert api(manager).get("/api/v1/tenants/alpha/reports/visit-steps/?period=bad").status_code == 400
    page = web(manager).get("/t/alpha/visits/steps/?period=2026-Q3").content.decode()
    assert 'data-testid="visit-steps"' in page and "Doing the maths" in page


def test_another_tenants_visits_do_not_count(tenant, other_tenant, manager):
    VisitFactory(tenant=other_tenant, date=DAY, script=SCRIPT)
    report = visit_step_report(tenant=tenant, period=parse_period("2026-Q3"))
    assert report["scripted"] == 0 and report["steps"][0]["reached"] == 0

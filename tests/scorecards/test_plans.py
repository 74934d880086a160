"""Joint business plans: drafted by the vendor, agreed by the partner, tracked against the year."""

from datetime import UTC, date, datetime
from decimal import Decimal as D
from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from scorecards.defaults import ensure_default_kpis
from scorecards.models import BusinessPlan, Kpi, PlanActivity, Target
from scorecards.services.plans import (
    plan_activity_done,
    plan_agree,
    plan_create,
    plan_progress,
    plan_propose,
    plan_request_changes,
    plan_update,
)
from tests.factories import DealRegistrationFactory, PartnerFactory, SaleFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"


@pytest.fixture
def nordwind(tenant):
    ensure_default_kpis(tenant)
    return PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


def kpi(tenant, code):
    return Kpi.objects.for_tenant(tenant).get(code=code)


def draft(tenant, partner, manager):
    with tenant_context(tenant):
        return plan_create(
            tenant=tenant,
            actor=manager,
            partner=partner,
            year=2026,
            summary="Win the North",
            mdf_planned=5000,
            goals=[
                {"kpi": kpi(tenant, "revenue"), "target": D("100000")},
                {"kpi": kpi(tenant, "win_rate"), "target": D("45")},
            ],
            activities=[
                {"title": "Quarterly review", "side": "vendor"},
                {"title": "Two sales people certified"},
            ],
        )


def test_an_agreed_plan_sets_the_partners_quarterly_targets_acknowledged(
    tenant, nordwind, manager, partner_user
):
    # given
    plan = draft(tenant, nordwind, manager)
    partner = partner_user(tenant, partner=nordwind)
    plan_propose(plan=plan, actor=manager)

    # when
    plan_agree(plan=plan, actor=partner)

    # then: revenue is a total (a quarter of it each quarter), the win rate a level to hold
    plan.refresh_from_db()
    assert (plan.status, plan.agreed_by) == ("agreed", partner)
    targets = {
        (t.period, t.kpi.code): (t.value, t.acknowledged_by)
        for t in Target.objects.for_tenant(tenant).filter(partner=nordwind).select_related("kpi")
    }
    assert targets[("2026-Q1", "revenue")] == (D("25000.00"), partner)
    assert targets[("2026-Q4", "win_rate")] == (D("45.00"), partner)
    assert len(targets) == 8


def test_the_partners_users_are_asked_to_agree_when_it_is_proposed(
    tenant, nordwind, manager, partner_user, django_capture_on_commit_callbacks
):
    user = partner_user(tenant, partner=nordwind)
    user.email = "jo@nordwind.example"
    user.save()
    plan = draft(tenant, nordwind, manager)

    with django_capture_on_commit_callbacks(execute=True):
        plan_propose(plan=plan, actor=manager)

    assert [m.to for m in mail.outbox] == [["jo@nordwind.example"]]
    assert "2026" in mail.outbox[0].subject


def test_a_plan_without_goals_is_not_proposed_and_an_agreed_one_no_longer_changes(tenant, nordwind, manager):
    with tenant_context(tenant):
        empty = plan_create(tenant=tenant, actor=manager, partner=nordwind, year=2027)
    with pytest.raises(ValidationError, match="at least one goal"):
        plan_propose(plan=empty, actor=manager)

    plan = draft(tenant, nordwind, manager)
    plan_propose(plan=plan, actor=manager)
    plan_agree(plan=plan, actor=manager)
    with pytest.raises(ValidationError, match="no longer changes"):
        plan_update(plan=plan, actor=manager, summary="Something else")


def test_the_partner_sends_a_plan_back_with_what_should_change(tenant, nordwind, manager):
    plan = draft(tenant, nordwind, manager)
    plan_propose(plan=plan, actor=manager)

    plan_request_changes(plan=plan, actor=manager, note="Revenue 80 000 is realistic")

    plan.refresh_from_db()
    assert (plan.status, plan.change_request) == ("draft", "Revenue 80 000 is realistic")
    with pytest.raises(ValidationError):
        plan_agree(plan=plan, actor=manager)  # a draft is not agreed
    assert not Target.objects.for_tenant(tenant).exists()


def test_one_plan_per_partner_and_year(tenant, nordwind, manager):
    draft(tenant, nordwind, manager)
    with pytest.raises(ValidationError, match="has a plan for 2026 already"):
        draft(tenant, nordwind, manager)


def test_progress_adds_up_totals_over_the_quarters_and_keeps_the_latest_rate(tenant, nordwind, manager):
    # given: 30 000 sold in Q1 and 20 000 in Q3; 1 won of 2 closed deals registered in Q3
    plan = draft(tenant, nordwind, manager)
    SaleFactory(tenant=tenant, partner=nordwind, amount=D("30000"), date=date(2026, 2, 1))
    SaleFactory(tenant=tenant, partner=nordwind, amount=D("20000"), date=date(2026, 8, 1))
    for status in ("won", "lost"):
        DealRegistrationFactory(
            tenant=tenant, partner=nordwind, status=status, registered_at=datetime(2026, 8, 3, tzinfo=UTC)
        )

    # when
    with tenant_context(tenant):
        progress = plan_progress(plan, today=date(2026, 9, 30))

    # then
    rows = {row["goal"].kpi.code: (row["actual"], row["percent"]) for row in progress["goals"]}
    assert rows == {"revenue": (D("50000.00"), 50), "win_rate": (D("50.00"), 111)}
    assert (progress["done"], len(progress["activities"]), progress["quarters_begun"]) == (0, 2, 3)


def test_either_side_ticks_the_activities_of_an_agreed_plan(tenant, nordwind, manager):
    plan = draft(tenant, nordwind, manager)
    activity = PlanActivity.objects.for_tenant(tenant).filter(plan=plan).first()
    with pytest.raises(ValidationError, match="once the plan is agreed"):
        plan_activity_done(activity=activity, actor=manager)
    plan_propose(plan=plan, actor=manager)
    plan_agree(plan=plan, actor=manager)
    activity.refresh_from_db()

    plan_activity_done(activity=activity, actor=manager)

    activity.refresh_from_db()
    assert activity.done_at is not None and activity.done_by == manager


# --- the API and the pages, as the two sides use them -------------------------------------


def test_a_manager_drafts_and_proposes_and_the_partner_agrees_through_the_api(
    api, tenant, nordwind, manager, partner_user
):
    staff, partner = api(manager), api(partner_user(tenant, partner=nordwind))

    created = staff.post(
        f"{BASE}/business-plans/",
        {
            "partner": nordwind.pk,
            "year": 2026,
            "mdf_planned": "5000",
            "goals": [{"kpi": "revenue", "target": "100000"}],
            "activities": [{"title": "Joint campaign", "side": "vendor"}],
        },
        format="json",
    )
    plan_id = created.json()["id"]
    refused = partner.post(f"{BASE}/business-plans/{plan_id}/propose/")
    proposed = staff.post(f"{BASE}/business-plans/{plan_id}/propose/")
    agreed = partner.post(f"{BASE}/business-plans/{plan_id}/agree/")
    activity = agreed.json()["activities"][0]["id"]
    ticked = partner.post(
        f"{BASE}/business-plans/{plan_id}/activity-done/", {"activity": activity}, format="json"
    )

    assert created.status_code == 201, created.json()
    assert created.json()["goals"] == [{"kpi": "revenue", "target": "100000.00", "note": ""}]
    assert refused.status_code == 403
    assert (proposed.json()["status"], agreed.json()["status"]) == ("proposed", "agreed")
    assert agreed.json()["progress"]["goals"][0]["kpi"] == "revenue"
    assert ticked.json()["progress"]["activities_done"] == 1
    assert staff.get(f"{BASE}/business-plans/?status=agreed").json()["count"] == 1


def test_another_partner_does_not_see_the_plan(api, tenant, nordwind, manager, partner_user):
    plan = draft(tenant, nordwind, manager)
    other = api(partner_user(tenant))

    assert other.get(f"{BASE}/business-plans/{plan.pk}/").status_code == 404
    assert other.get(f"{BASE}/business-plans/").json()["count"] == 0


def test_a_bad_goal_is_a_400_naming_it(api, tenant, nordwind, manager):
    response = api(manager).post(
        f"{BASE}/business-plans/",
        {"partner": nordwind.pk, "year": 2026, "goals": [{"kpi": "luck", "target": "1"}]},
        format="json",
    )
    assert response.status_code == 400 and "goals" in response.json()


def test_the_plan_pages_from_draft_to_agreement(web, client, tenant, nordwind, manager, partner_user):
    staff = web(manager)
    started = staff.post("/t/alpha/plans/new/", {"partner": "Nordwind Systems", "year": "2026"})
    plan = BusinessPlan.objects.for_tenant(tenant).get()
    staff.post(f"/t/alpha/plans/{plan.pk}/goals/", {"kpi": kpi(tenant, "revenue").pk, "target": "80000"})
    staff.post(f"/t/alpha/plans/{plan.pk}/activities/", {"title": "Customer day", "side": "vendor"})
    staff.post(f"/t/alpha/plans/{plan.pk}/propose/")
    client.logout()

    partner = web(partner_user(tenant, partner=nordwind))
    page = partner.get(f"/t/alpha/plans/{plan.pk}/").content.decode()
    agreed = partner.post(f"/t/alpha/plans/{plan.pk}/agree/", follow=True)

    assert started.status_code == 302 and started["Location"].endswith(f"/plans/{plan.pk}/")
    assert 'data-testid="agree"' in page and "Customer day" in page and "Revenue against target" in page
    assert "Agreed. The plan's goals are your targets for the year." in unescape(agreed.content.decode())
    plan.refresh_from_db()
    assert plan.status == "agreed"
    assert Target.objects.for_tenant(tenant).filter(partner=nordwind, kpi__code="revenue").count() == 4

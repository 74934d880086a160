"""The team's own numbers: activity per manager and region against the playbook's cadence."""

from datetime import UTC, date, datetime, timedelta

import pytest

from partners.models import StageChange
from partners.reports import activity_report
from prm.periods import parse_period
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory, VisitFactory

pytestmark = pytest.mark.django_db
Q3 = parse_period("2026-Q3")


@pytest.fixture
def team(tenant, member):
    mia, leo = member(tenant, Role.CHANNEL_MANAGER), member(tenant, Role.CHANNEL_MANAGER)
    mia.username, leo.username = "mia", "leo"
    mia.save()
    leo.save()
    return mia, leo


def moved(tenant, partner, from_stage, to_stage, when):
    StageChange.objects.for_tenant(tenant).create(
        tenant=tenant, partner=partner, from_stage=from_stage, to_stage=to_stage, changed_at=when
    )


def test_new_candidates_visits_and_stage_moves_per_manager_and_region(tenant, team):
    mia, leo = team
    fresh = PartnerFactory(tenant=tenant, owner=mia, region="North", computed_tier="B")
    known = PartnerFactory(tenant=tenant, owner=mia, region="North")
    south = PartnerFactory(tenant=tenant, owner=leo, region="South", computed_tier="A")
    VisitFactory(tenant=tenant, partner=known, logged_by=mia, date=date(2026, 3, 1))  # known before Q3
    VisitFactory(tenant=tenant, partner=known, logged_by=mia, date=date(2026, 7, 10), goal_met=True)
    VisitFactory(tenant=tenant, partner=fresh, logged_by=mia, date=date(2026, 7, 20))
    VisitFactory(tenant=tenant, partner=fresh, logged_by=mia, date=date(2026, 8, 1), goal_met=True)
    VisitFactory(tenant=tenant, partner=south, logged_by=leo, date=date(2026, 9, 1))
    at = datetime(2026, 6, 1, 9, tzinfo=UTC)
    moved(tenant, fresh, "", "prospecting", at)
    moved(tenant, fresh, "prospecting", "first_talks", at + timedelta(days=10))  # Q2: not counted
    moved(tenant, fresh, "first_talks", "selection", at + timedelta(days=60))  # 50 days in first talks
    moved(tenant, known, "", "prospecting", at)
    moved(tenant, known, "prospecting", "lost", at + timedelta(days=40))

    report = activity_report(tenant=tenant, period=Q3)

    by_owner = {{mia.pk: "mia", leo.pk: "leo"}.get(r["key"]): r for r in report["owners"]}
    assert report["cadence_per_week"] == 15
    assert (by_owner["mia"]["new_candidates"], by_owner["mia"]["visits"], by_owner["mia"]["goal_met"]) == (
        1,
        3,
        2,
    )
    assert by_owner["mia"]["new_per_week"] == round(1 / report["weeks"], 1)
    stages = {s["stage"]: s for s in by_owner["mia"]["stages"]}
    assert (stages["first_talks"]["moved_on"], stages["first_talks"]["median_days"]) == (1, 50)
    assert stages["first_talks"]["time_box"] == 30
    assert (stages["prospecting"]["moved_on"], stages["prospecting"]["dropped"]) == (0, 1)
    assert by_owner["mia"]["tiers"]["B"] == 1 and by_owner["leo"]["tiers"]["A"] == 1
    by_region = {r["name"]: r for r in report["regions"]}
    assert (by_region["North"]["visits"], by_region["South"]["new_candidates"]) == (3, 1)

    only_south = activity_report(tenant=tenant, period=Q3, region="South")
    assert [r["key"] for r in only_south["owners"]] == [leo.pk]


def test_the_report_page_api_and_csv_answer_with_the_same_numbers(
    web, api, tenant, team, member, partner_user
):
    mia, _leo = team
    partner = PartnerFactory(tenant=tenant, owner=mia, region="North")
    VisitFactory(tenant=tenant, partner=partner, logged_by=mia, date=date(2026, 7, 20), goal_met=True)
    lead = member(tenant, Role.REGIONAL_LEAD)

    page = web(lead).get("/t/alpha/reports/activity/?period=2026-Q3")
    csv = web(lead).get(f"/t/alpha/reports/activity/export/?period=2026-Q3&owner={mia.pk}")
    body = api(lead).get(f"/api/v1/tenants/alpha/reports/activity/?period=2026-Q3&owner={mia.pk}").json()
    bad = api(lead).get("/api/v1/tenants/alpha/reports/activity/?period=someday")
    nul = api(lead).get("/api/v1/tenants/alpha/reports/activity/?region=North%00")
    nul_page = web(lead).get("/t/alpha/reports/activity/?period=2026-Q3&region=North%00")
    partner_view = api(partner_user(tenant)).get("/api/v1/tenants/alpha/reports/activity/")

    assert page.status_code == 200 and 'data-testid="activity-chart"' in page.content.decode()
    lines = csv.content.decode().splitlines()
    name = mia.get_full_name() or mia.username
    assert lines[0].startswith("owner,new_candidates") and lines[1].startswith(f"{name},1,")
    assert [(r["key"], r["new_candidates"], r["goal_met_rate"]) for r in body["owners"]] == [(mia.pk, 1, 1.0)]
    assert bad.status_code == 400 and partner_view.status_code == 403
    # a NUL in the region: refused with 400 before the report reads it (the database would refuse it)
    assert nul.status_code == 400 and nul.json() == {"detail": "Null characters are not allowed."}
    assert nul_page.status_code == 400 and nul_page.content.decode() == "Null characters are not allowed."

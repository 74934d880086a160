"""Journeys: a partner reads its programme (duties, rights, the way up); a lead reads the team report."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import PartnerFactory, TierBenefitFactory, VisitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXES_OF_C = {
    "rule": "SLS",
    "axes": {
        "competitiveness": {"score": 72.0, "threshold": 50.0, "strong": True},
        "willingness": {"score": 40.0, "threshold": 50.0, "strong": False},
        "autonomy": {"score": 60.0, "threshold": 50.0, "strong": True},
    },
    "inputs": {"willingness": [{"input": "registrations", "score": 30.0, "weight": 1.0}]},
}


def test_partner_reads_what_its_tier_gives_and_what_the_next_would(page, login, tenant, partner_user):
    mine = PartnerFactory(
        tenant=tenant, name="Nordwind Systems", stage="signed", computed_tier="C", tier_axes=AXES_OF_C
    )
    TierBenefitFactory(
        tenant=tenant, tier="C", kind="margin_points", value=Decimal("1"), description="1 margin point"
    )
    TierBenefitFactory(
        tenant=tenant, tier="A", kind="margin_points", value=Decimal("4"), description="4 margin points"
    )
    user = partner_user(tenant, partner=mine)
    user.username = "nordwind"
    user.save()

    login(page, "nordwind")
    page.click("nav >> text=My programme")

    assert (
        "To reach A: raise willingness from 40 to 50"
        in page.locator("[data-testid=programme-sentence]").inner_text()
    )
    assert "1 margin point" in page.locator("[data-testid=programme-rights]").inner_text()
    assert "4 margin points" in page.locator("[data-testid=programme-next-rights]").inner_text()


def test_regional_lead_reads_each_managers_activity_against_the_cadence(page, login, tenant, member):
    lead, mia = member(tenant, "regional_lead"), member(tenant, "channel_manager")
    lead.username, mia.username = "rita", "mia"
    lead.save()
    mia.save()
    today = date.today()
    partner = PartnerFactory(tenant=tenant, name="Baltic Motion", owner=mia, region="North")
    VisitFactory(tenant=tenant, partner=partner, logged_by=mia, date=today, goal_met=True)

    login(page, "rita")
    page.goto(f"/t/{tenant.slug}/")
    assert "mia" in page.locator("[data-testid=team-panel]").inner_text()
    page.click("nav >> text=Team activity")

    table = page.locator("[data-testid=activity-table]").first.inner_text()
    assert "mia" in table and "100.0%" in table
    assert page.locator("[data-testid=activity-chart] svg").count() == 1
    with page.expect_download() as download:
        page.click("[data-testid=activity-csv]")
    assert download.value.suggested_filename.startswith("team-activity-")

"""Journey: a partner signs in, opens its scorecard and downloads the PDF."""

from decimal import Decimal

import pytest
from pypdf import PdfReader

from scorecards.defaults import ensure_default_kpis
from scorecards.models import Kpi, Target
from scorecards.services.plans import plan_create, plan_propose
from tests.factories import PartnerFactory, ScorecardFactory, ScorecardLineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_downloads_its_scorecard_pdf(page, login, tenant, partner_user, tmp_path):
    # given
    mine = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    other = PartnerFactory(tenant=tenant, name="Baltic Motion", stage="signed")
    card = ScorecardFactory(tenant=tenant, partner=mine, score=Decimal("77.50"))
    ScorecardLineFactory(
        tenant=tenant,
        scorecard=card,
        name="Revenue against target",
        target=100,
        actual=90,
        attainment=Decimal("0.9"),
        points=Decimal("0.9"),
    )
    ScorecardFactory(tenant=tenant, partner=other, score=Decimal("99.00"))
    user = partner_user(tenant, partner=mine)
    user.username = "nordwind"
    user.save()

    # when
    login(page, "nordwind")
    page.click("[data-testid=own-scorecard] >> text=Open it")

    # then
    assert "Nordwind Systems" in page.locator("h1").inner_text()
    assert "Revenue against target" in page.locator("[data-testid=kpi-table]").inner_text()
    with page.expect_download() as download:
        page.click("[data-testid=pdf-link]")
    path = tmp_path / "scorecard.pdf"
    download.value.save_as(path)
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Nordwind Systems" in text and "77.50" in text
    assert "Baltic Motion" not in text  # the cohort is shown, other partners stay anonymous


def test_partner_reads_its_proposed_business_plan_and_agrees(page, login, tenant, partner_user, member):

    # given: the channel manager proposed next year's plan to Nordwind
    ensure_default_kpis(tenant)
    mine = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    manager = member(tenant, "channel_manager")
    revenue = Kpi.objects.for_tenant(tenant).get(code="revenue")
    plan = plan_create(
        tenant=tenant,
        actor=manager,
        partner=mine,
        year=2027,
        summary="Win the North together",
        goals=[{"kpi": revenue, "target": Decimal("100000")}],
        activities=[{"title": "Quarterly business review", "side": "vendor"}],
    )
    plan_propose(plan=plan, actor=manager)
    user = partner_user(tenant, partner=mine)
    user.username = "nordwind"
    user.save()
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))

    # when
    login(page, "nordwind")
    page.click("nav >> text=Business plans")
    page.click("[data-testid=plans] >> text=2027")
    goals = page.locator("[data-testid=plan-goals]").inner_text()
    page.click("[data-testid=agree]")

    # then
    assert "Revenue against target" in goals and "100" in goals
    assert questions and "targets" in questions[0]
    assert page.locator("[data-testid=plan-status]").inner_text() == "Agreed"
    assert (
        Target.objects.for_tenant(tenant).filter(partner=mine, kpi=revenue, period="2027-Q2").get().value
        == 25000
    )

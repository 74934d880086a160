"""The scorecard pages: the manager's table, one scorecard, targets, engagement."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from prm.jobs.models import Job
from prm.tenancy.choices import Role
from scorecards.models import ProductRegistration, SatisfactionResult, Scorecard, Target
from tests.factories import KpiFactory, PartnerFactory, ScorecardFactory, ScorecardLineFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cards(tenant):
    nordwind = PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")
    baltic = PartnerFactory(tenant=tenant, name="Baltic Motion", stage="signed")
    a = ScorecardFactory(
        tenant=tenant, partner=nordwind, score=Decimal("81.25"), previous_score=Decimal("70")
    )
    b = ScorecardFactory(tenant=tenant, partner=baltic, score=Decimal("40.00"))
    ScorecardLineFactory(
        tenant=tenant,
        scorecard=a,
        target=Decimal("10"),
        actual=Decimal("12"),
        attainment=Decimal("1.2"),
        points=Decimal("1"),
    )
    return a, b


def test_manager_table_sorts_by_score_and_shows_the_change(web, tenant, member, cards):
    html = (
        web(member(tenant, Role.CHANNEL_MANAGER)).get("/t/alpha/scorecards/?period=2026-Q3").content.decode()
    )
    assert html.index("Nordwind Systems") < html.index("Baltic Motion")
    assert "+11.25" in html


def test_scorecard_page_shows_kpis_gauge_trend_cohort_and_balance(web, tenant, member, cards):
    a, _ = cards
    html = web(member(tenant, Role.CHANNEL_MANAGER)).get(f"/t/alpha/scorecards/{a.pk}/").content.decode()
    assert 'data-testid="kpi-table"' in html and "120.0%" in html
    assert html.count("<svg") >= 4  # gauge, trend, dimensions, cohort
    assert "Download PDF" in html


def test_a_partner_sees_its_own_scorecard_but_not_anothers(web, tenant, cards, partner_user):
    a, b = cards
    client = web(partner_user(tenant, partner=a.partner))
    assert client.get(f"/t/alpha/scorecards/{a.pk}/").status_code == 200
    assert client.get(f"/t/alpha/scorecards/{b.pk}/").status_code == 404
    assert client.get(f"/t/alpha/scorecards/{b.pk}/pdf/").status_code == 404
    listing = client.get("/t/alpha/scorecards/").content.decode()
    assert "Nordwind Systems" in listing and "Baltic Motion" not in listing
    home = client.get("/t/alpha/").content.decode()
    assert 'data-testid="own-scorecard"' in home


def test_partner_pdf_download_from_the_portal(web, tenant, cards, partner_user):
    a, _ = cards
    response = web(partner_user(tenant, partner=a.partner)).get(f"/t/alpha/scorecards/{a.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_manager_starts_a_computation_and_follows_the_job(web, tenant, member):
    PartnerFactory(tenant=tenant, stage="signed")
    response = web(member(tenant, Role.CHANNEL_MANAGER)).post(
        "/t/alpha/scorecards/run/", {"period": "2026-Q3", "what": "compute"}
    )
    job = Job.objects.for_tenant(tenant).get()
    assert response["Location"] == f"/t/alpha/jobs/{job.pk}/"
    assert job.params == {"period": "2026-Q3"}


def test_targets_page_sets_a_target_and_the_partner_acknowledges_it(web, tenant, member, partner_user):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    kpi = KpiFactory(tenant=tenant, code="revenue")
    manager = web(member(tenant, Role.CHANNEL_MANAGER))
    assert (
        manager.post(
            "/t/alpha/targets/set/",
            {"partner": partner.pk, "period": "2026-Q4", "kpi": kpi.pk, "value": "5000"},
        ).status_code
        == 302
    )
    target = Target.objects.for_tenant(tenant).get()
    assert target.value == Decimal("5000") and target.acknowledged_at is None
    user = partner_user(tenant, partner=partner)
    manager.logout()
    partner_client = web(user)
    assert "Acknowledge" in partner_client.get("/t/alpha/targets/").content.decode()
    partner_client.post(f"/t/alpha/targets/{target.pk}/acknowledge/")
    target.refresh_from_db()
    assert target.acknowledged_by == user


def test_targets_page_opens_on_the_latest_period_in_partner_name_order(web, tenant, member):
    # given: targets in two periods, partners whose names are not in creation order
    zeta, alpha = (
        PartnerFactory(tenant=tenant, name="Zeta Robotics"),
        PartnerFactory(tenant=tenant, name="Alpha Arms"),
    )
    revenue = KpiFactory(tenant=tenant, code="revenue", name="Revenue")
    for partner in (zeta, alpha):
        TargetFactory(tenant=tenant, partner=partner, kpi=revenue, period="2026-Q3", value=Decimal("100"))
        TargetFactory(tenant=tenant, partner=partner, kpi=revenue, period="2026-Q4", value=Decimal("200"))
    manager = web(member(tenant, Role.CHANNEL_MANAGER))

    # when / then: no filter shows the latest period only, partners by name
    page = manager.get("/t/alpha/targets/")
    assert [(t.period, t.partner.name) for t in page.context["targets"]] == [
        ("2026-Q4", "Alpha Arms"),
        ("2026-Q4", "Zeta Robotics"),
    ]
    assert 'name="period" value="2026-Q4"' in page.content.decode()
    # an earlier period on request; a partner's targets in every period
    assert {t.period for t in manager.get("/t/alpha/targets/?period=2026-Q3").context["targets"]} == {
        "2026-Q3"
    }
    mine = manager.get(f"/t/alpha/targets/?partner={zeta.pk}").context["targets"]
    assert [(t.period, t.partner.name) for t in mine] == [
        ("2026-Q4", "Zeta Robotics"),
        ("2026-Q3", "Zeta Robotics"),
    ]


def test_a_partner_registers_a_product_from_the_engagement_page(web, tenant, partner_user):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    client = web(partner_user(tenant, partner=partner))
    response = client.post(
        "/t/alpha/engagement/registrations/",
        {
            "customer": "Contoso",
            "product": "RX-200",
            "serial": "SN-9",
            "date": "2026-11-01",
        },
    )
    assert response.status_code == 302
    assert ProductRegistration.objects.for_tenant(tenant).get().partner == partner
    # a partner may not record its own customers' survey results
    assert (
        client.post(
            "/t/alpha/engagement/survey-results/", {"partner": partner.pk, "score": 9, "date": "2026-11-01"}
        ).status_code
        == 403
    )
    assert not SatisfactionResult.objects.for_tenant(tenant).exists()
    assert not Scorecard.objects.for_tenant(tenant).exists()


def _fonts_of(pdf: bytes) -> set[str]:

    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def test_a_chinese_tenants_scorecard_pdf_embeds_a_font_that_covers_its_text(web, tenant, member, cards):

    tenant.default_language = "zh-hans"
    tenant.save(update_fields=["default_language"])
    a, _ = cards

    response = web(member(tenant, Role.CHANNEL_MANAGER)).get(
        f"/t/alpha/scorecards/{a.pk}/pdf/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )  # a PDF speaks its reader's language, as the page does

    assert response.status_code == 200
    assert any("CJK" in font for font in _fonts_of(response.content)), _fonts_of(response.content)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)  # Chinese characters, not empty boxes


def test_a_large_cohort_shows_its_leaders_and_the_ranks_around_the_partner(tenant, member, web):
    # given: a cohort of 40 (same period, tier and region); the partner ranks 20th
    cards = [
        ScorecardFactory(
            tenant=tenant,
            partner=PartnerFactory(tenant=tenant, name=f"Partner {n:02}"),
            rank=n,
            cohort_size=40,
            score=Decimal(100 - n),
            tier="B",
            region="North",
        )
        for n in range(1, 41)
    ]
    mine = cards[19]

    # when
    response = web(member(tenant, Role.CHANNEL_MANAGER)).get(f"/t/alpha/scorecards/{mine.pk}/")

    # then: ranks 1–10, a gap, then 18–22 (not all 40 rows)
    shown = [c.rank for c in response.context["cohort"]]
    assert shown == [*range(1, 11), *range(18, 23)]
    assert [c.rank for c in response.context["cohort"] if c.gap_before] == [18]
    html = response.content.decode()
    assert "Partner 20" in html and "Partner 30" not in html and "…" in html

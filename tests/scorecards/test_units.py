"""A KPI has a unit (number, money, percent): its targets and actuals show as amounts in the
tenant's currency, percentages or plain numbers on the scorecard page, its PDF and the lists, and
the API says the unit of each KPI and line."""

import importlib
import subprocess
from decimal import Decimal as D

import pytest
from django.db import connection

from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from scorecards.defaults import ensure_default_kpis
from scorecards.models import Kpi, Scorecard, ScorecardLine
from scorecards.services.compute import scorecards_compute
from tests.factories import KpiFactory, PartnerFactory, SaleFactory, ScorecardLineFactory, TargetFactory
from tests.scorecards.test_compute import IN_Q2, IN_Q3, PERIOD

pytestmark = pytest.mark.django_db

KPIS = "/api/v1/tenants/alpha/kpis/"
MIGRATION = importlib.import_module("scorecards.migrations.0015_cohorts_and_kpi_units")


def units(tenant) -> dict:
    return dict(Kpi.objects.for_tenant(tenant).values_list("code", "unit"))


def test_the_default_kpis_take_their_sources_unit(tenant):
    ensure_default_kpis(tenant)

    assert units(tenant) == {
        "revenue": "money",
        "growth": "percent",
        "deal_registrations": "number",
        "win_rate": "percent",
        "product_registrations": "number",
        "satisfaction": "number",
        "training": "percent",
    }


def test_a_new_kpi_takes_its_sources_unit_unless_one_is_given(api, tenant, member):
    client = api(member(tenant, Role.ADMIN))
    common = {"direction": "higher", "weight": "1", "dimension": "performance"}

    funds = client.post(
        KPIS, {"code": "funds", "name": "Funds", "source": "mdf_approved", **common}, format="json"
    )
    leads = client.post(
        KPIS, {"code": "leads", "name": "Leads", "source": "leads_accepted", **common}, format="json"
    )
    stars = client.post(
        KPIS,
        {"code": "stars", "name": "Stars", "source": "manual", "unit": "percent", **common},
        format="json",
    )
    wrong = client.post(
        KPIS, {"code": "odd", "name": "Odd", "source": "manual", "unit": "miles", **common}, format="json"
    )

    assert (funds.status_code, funds.json()["unit"]) == (201, "money")
    assert (leads.status_code, leads.json()["unit"]) == (201, "percent")
    assert (stars.status_code, stars.json()["unit"]) == (201, "percent")
    assert wrong.status_code == 400 and "unit" in wrong.json()
    listed = {k["code"]: k["unit"] for k in client.get(KPIS).json()}
    assert listed == {"funds": "money", "leads": "percent", "stars": "percent"}


@pytest.fixture
def growing(tenant):
    """A partner that sold 1,000.00 in Q2 and 1,871.70 in Q3 (87.17 % growth), against a revenue
    target of 2,000, computed."""
    ensure_default_kpis(tenant)
    partner = PartnerFactory(tenant=tenant, stage="signed", computed_tier="A", region="EMEA", name="Nordwind")
    SaleFactory(tenant=tenant, partner=partner, amount=D("1000.00"), date=IN_Q2)
    SaleFactory(tenant=tenant, partner=partner, amount=D("1871.70"), date=IN_Q3)
    revenue = Kpi.objects.for_tenant(tenant).get(code="revenue")
    TargetFactory(tenant=tenant, partner=partner, kpi=revenue, period=PERIOD, value=D("2000"))
    with tenant_context(tenant):
        scorecards_compute(tenant=tenant, period=PERIOD)
        return Scorecard.objects.get(partner=partner, period=PERIOD)


def pdf_text(content: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.replace("\u00a0", " ").split())


def test_the_scorecard_page_and_pdf_show_each_kpi_in_its_unit(tenant, growing, web, member):
    client = web(member(tenant, Role.CHANNEL_MANAGER))

    page = client.get(f"/t/alpha/scorecards/{growing.pk}/").content.decode()
    pdf = pdf_text(client.get(f"/t/alpha/scorecards/{growing.pk}/pdf/").content)

    table = page[page.index('data-testid="kpi-table"') :]
    assert "87.2%" in table and "87.17" not in table  # growth, a percentage
    assert "10.0%" in table  # its default target
    assert "1,871.70 EUR" in table and "2,000.00 EUR" in table  # revenue, money
    for figure in ("87.2%", "1,871.70 EUR", "2,000.00 EUR"):
        assert figure in pdf, figure


def test_french_readers_read_the_units_their_way(tenant, growing, web, member):
    page = (
        web(member(tenant, Role.CHANNEL_MANAGER))
        .get(f"/t/alpha/scorecards/{growing.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )

    assert "87,2\u00a0%" in page
    assert "871,70 EUR" in page


def test_the_api_says_each_lines_unit(tenant, growing, api, member):
    body = (
        api(member(tenant, Role.CHANNEL_MANAGER))
        .get(f"/api/v1/tenants/alpha/scorecards/{growing.pk}/")
        .json()
    )

    lines = {line["code"]: line for line in body["kpis"]}
    assert (lines["growth"]["unit"], lines["growth"]["actual"]) == ("percent", "87.17")  # a figure, not text
    assert lines["revenue"]["unit"] == "money" and lines["satisfaction"]["unit"] == "number"


def test_a_kpi_given_another_unit_shows_so_on_the_next_computation(tenant, growing, web, member):
    Kpi.objects.for_tenant(tenant).filter(code="growth").update(unit="number")
    with tenant_context(tenant):
        scorecards_compute(tenant=tenant, period=PERIOD)

    page = (
        web(member(tenant, Role.CHANNEL_MANAGER)).get(f"/t/alpha/scorecards/{growing.pk}/").content.decode()
    )

    table = page[
        page.index('data-testid="kpi-table"') : page.index("</table>", page.index('data-testid="kpi-table"'))
    ]
    assert "87.17" in table and "87.2%" not in table


def test_the_kpi_and_target_lists_show_values_in_their_unit(tenant, web, member):
    ensure_default_kpis(tenant)
    partner = PartnerFactory(tenant=tenant, stage="signed")
    KpiFactory(tenant=tenant, code="funds", source="mdf_approved", unit="money", default_target=D("5000"))
    revenue = Kpi.objects.for_tenant(tenant).get(code="revenue")
    TargetFactory(tenant=tenant, partner=partner, kpi=revenue, period=PERIOD, value=D("12500"))
    client = web(member(tenant, Role.ADMIN))

    kpis = client.get("/t/alpha/kpis/").content.decode()
    targets = client.get(f"/t/alpha/targets/?period={PERIOD}").content.decode()

    assert "40.0%" in kpis  # the win rate's default target
    assert "5,000.00 EUR" in kpis and "Money (the tenant&#x27;s currency)" in kpis
    assert "12,500.00 EUR" in targets


def test_a_kpi_made_on_the_page_without_a_unit_takes_its_sources(tenant, web, member):
    client = web(member(tenant, Role.ADMIN))
    form = {
        "name": "Sold",
        "source": "sales",
        "direction": "higher",
        "weight": "1",
        "dimension": "performance",
        "side": "partner",
        "position": "0",
        "active": "on",
    }

    assert 'value="" selected' in client.get("/t/alpha/kpis/new/").content.decode()
    made = client.post("/t/alpha/kpis/new/", {**form, "code": "sold", "unit": ""})
    chosen = client.post("/t/alpha/kpis/new/", {**form, "code": "sold_count", "unit": "number"})

    assert made.status_code == chosen.status_code == 302
    assert units(tenant) == {"sold": "money", "sold_count": "number"}


class Unforced:
    """A schema editor's connection for the migration's function, without its row-level security
    switch (the suite's role owns no table): the tenant's context lets its rows be updated."""

    class connection:  # noqa: N801 (what schema_editor.connection is)
        vendor = "tests"

        @staticmethod
        def cursor():
            return connection.cursor()


def test_the_migration_gives_existing_kpis_their_sources_unit_and_lines_their_kpis(tenant):
    # given: KPIs and a line stored before units, all numbers
    ensure_default_kpis(tenant)
    KpiFactory(tenant=tenant, code="funds", source="mdf_approved")
    KpiFactory(tenant=tenant, code="count", source="manual")
    KpiFactory(tenant=tenant, code="requests", source="requests_answered", dimension="activation")
    Kpi.objects.for_tenant(tenant).update(unit="number")
    growth = Kpi.objects.for_tenant(tenant).get(code="growth")
    line = ScorecardLineFactory(tenant=tenant, kpi=growth, code="growth")
    orphan = ScorecardLineFactory(tenant=tenant, kpi=None, code="gone")

    # when
    with tenant_context(tenant):
        MIGRATION.units_by_source(None, Unforced)

    # then
    found = units(tenant)
    assert (found["revenue"], found["funds"], found["growth"], found["training"]) == (
        "money",
        "money",
        "percent",
        "percent",
    )
    assert found["requests"] == "percent"
    assert (found["count"], found["satisfaction"], found["deal_registrations"]) == ("number",) * 3
    stored = dict(ScorecardLine.objects.for_tenant(tenant).values_list("pk", "unit"))
    assert (stored[line.pk], stored[orphan.pk]) == ("percent", "number")

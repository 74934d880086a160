"""The effectiveness report, checked against a small data set worked out by hand: cost paid and
accrued, partners reached, their growth against the baseline and against comparable partners (same
tier and region, paid by the programme, not reached), the difference, return per currency unit, and
for the MDF programme its activities and the deals and leads after the claims; the page, the CSV and
the API, for the roles that may read it and no one else; a fixed number of queries."""

import csv
import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from incentives import effectiveness
from prm.periods import parse_period
from prm.tenancy.choices import Role
from tests.factories import (
    DealRegistrationFactory,
    ExchangeRateFactory,
    IncentiveRuleFactory,
    LeadFactory,
    MdfClaimFactory,
    MdfRequestFactory,
    PartnerFactory,
    PaymentFactory,
    PayoutLineFactory,
    PayoutRunFactory,
    SaleFactory,
)

pytestmark = pytest.mark.django_db

Q1, Q2, Q3 = dt.date(2026, 2, 10), dt.date(2026, 5, 10), dt.date(2026, 8, 10)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def sell(tenant, partner, day, amount, currency="EUR"):
    SaleFactory(tenant=tenant, partner=partner, date=day, amount=D(amount), currency=currency)


def world(tenant, extra=0):
    """Q3 2026 against Q2: a SPIF reached A (paid 300) and B (200, not paid yet); C and D are comparable
    (tier B, North, not reached); E (tier A) and F (South) are not; G is lost. The MDF programme paid A's
    claim (800) of 1 August; A registered a deal and received a lead in the eight weeks after."""
    partner = {
        name: PartnerFactory(tenant=tenant, name=name, stage="signed", computed_tier=tier, region=region)
        for name, tier, region in [
            ("A", "B", "North"),
            ("B", "B", "North"),
            ("C", "B", "North"),
            ("D", "B", "North"),
            ("E", "A", "North"),
            ("F", "B", "South"),
        ]
    }
    partner["G"] = PartnerFactory(tenant=tenant, name="G", stage="lost", computed_tier="B", region="North")
    for name, q2, q3 in [("A", 1000, 1500), ("B", 1000, 1300), ("C", 2000, 2000), ("E", 1000, 5000)]:
        sell(tenant, partner[name], Q2, q2)
        sell(tenant, partner[name], Q3, q3)
    sell(tenant, partner["A"], Q1, 600)
    sell(tenant, partner["F"], Q3, 9000)
    sell(tenant, partner["G"], Q3, 9000)
    ExchangeRateFactory(tenant=tenant, currency="USD", date=dt.date(2026, 7, 1), rate=D("0.5"))
    sell(tenant, partner["C"], Q3, 400, currency="USD")  # 200 EUR: C's Q3 is 2 200
    spif = IncentiveRuleFactory(tenant=tenant, name="Summer SPIF", kind="spif", params={})
    mdf = IncentiveRuleFactory(tenant=tenant, name="Co-marketing", kind="mdf", params={"budget": "1000"})
    run = PayoutRunFactory(tenant=tenant, period="2026-Q3")
    PayoutLineFactory(tenant=tenant, run=run, partner=partner["A"], rule=spif, kind="spif", amount=D("300"))
    PayoutLineFactory(tenant=tenant, run=run, partner=partner["B"], rule=spif, kind="spif", amount=D("200"))
    PayoutLineFactory(tenant=tenant, run=run, partner=partner["A"], rule=mdf, kind="mdf", amount=D("800"))
    big = IncentiveRuleFactory(tenant=tenant, name="Big deal bonus", kind="bonus", params={})
    PayoutLineFactory(tenant=tenant, run=run, partner=partner["E"], rule=big, kind="bonus", amount=D("1000"))
    for n in range(extra):  # more partners reached, with sales
        more = PartnerFactory(tenant=tenant, name=f"X{n}", stage="signed", computed_tier="B", region="South")
        sell(tenant, more, Q2, 100)
        sell(tenant, more, Q3, 150)
        PayoutLineFactory(tenant=tenant, run=run, partner=more, rule=spif, kind="spif", amount=D("10"))
    run.status = "approved"
    run.save()
    PaymentFactory(tenant=tenant, run=run, partner=partner["A"], amount=D("1100"))
    request = MdfRequestFactory(
        tenant=tenant, partner=partner["A"], rule=mdf, period="2026-Q3", amount=D("1000"), status="approved"
    )
    claim = MdfClaimFactory(tenant=tenant, request=request, amount=D("800"), status="approved")
    type(claim).objects.for_tenant(tenant).filter(pk=claim.pk).update(created_at=at(dt.date(2026, 8, 1)))
    DealRegistrationFactory(tenant=tenant, partner=partner["A"], registered_at=at(Q3), status="won")
    DealRegistrationFactory(tenant=tenant, partner=partner["A"], registered_at=at(dt.date(2026, 11, 1)))
    DealRegistrationFactory(tenant=tenant, partner=partner["B"], registered_at=at(Q3))
    LeadFactory(tenant=tenant, partner=partner["A"], created_at=at(dt.date(2026, 8, 20)))
    LeadFactory(tenant=tenant, partner=partner["A"], created_at=at(dt.date(2026, 7, 1)))
    return spif, mdf


def by_name(result):
    return {e.rule_name: e for e in result.rules}


def test_the_spif_against_its_baseline_and_its_comparable_partners(tenant):
    world(tenant)

    spif = by_name(effectiveness.report(tenant=tenant, period=parse_period("2026-Q3")))["Summer SPIF"]

    assert (spif.paid, spif.accrued, spif.cost) == (D("300"), D("200"), D("500"))
    assert (spif.reached.partners, spif.reached.revenue, spif.reached.baseline) == (2, D("2800"), D("2000"))
    assert spif.reached.growth == D("0.4")
    # C (2 000 -> 2 200 with the converted USD sale) and D (no sales); not E, F or G
    assert (spif.comparable.partners, spif.comparable.revenue, spif.comparable.baseline) == (
        2,
        D("2200"),
        D("2000"),
    )
    assert spif.comparable.growth == D("0.1")
    assert spif.difference == D("0.3")
    assert spif.incremental == D("600.00")  # 2 800 - 2 000 x 1.1
    assert spif.return_per_unit == D("1.20")  # 600 / 500
    assert spif.activities is None
    assert spif.comparison == effectiveness.CELL


def test_the_mdf_programme_with_its_claims_and_what_followed(tenant):
    world(tenant)

    mdf = by_name(effectiveness.report(tenant=tenant, period=parse_period("2026-Q3")))["Co-marketing"]

    assert (mdf.paid, mdf.accrued, mdf.reached.partners) == (D("800"), D("0"), 1)
    assert (mdf.reached.revenue, mdf.reached.baseline, mdf.reached.growth) == (D("1500"), D("1000"), D("0.5"))
    # B, C and D: 3 500 against 3 000
    assert (mdf.comparable.partners, mdf.comparable.revenue, mdf.comparable.baseline) == (
        3,
        D("3500"),
        D("3000"),
    )
    assert mdf.comparable.growth == D("0.1667")
    assert mdf.incremental == D("333.33")  # 1 500 - 1 000 x 3 500 / 3 000
    assert mdf.return_per_unit == D("0.42")
    assert (mdf.activities, mdf.claimed) == (1, D("800"))
    assert (mdf.deals, mdf.won_deals, mdf.leads) == (1, 1, 1)  # in the eight weeks after 1 August only


def test_with_no_comparable_partner_of_its_tier_the_group_widens_and_says_so(tenant):
    world(tenant)

    big = by_name(effectiveness.report(tenant=tenant, period=parse_period("2026-Q3")))["Big deal bonus"]

    # E is the only tier A partner: the comparable group is every other partner paid (A, B, C, D, F; not G)
    assert (
        big.comparison == effectiveness.CHANNEL and "every partner the programme pays" in big.comparison_words
    )
    assert (big.comparable.partners, big.comparable.revenue, big.comparable.baseline) == (
        5,
        D("14000"),
        D("4000"),
    )
    assert (big.reached.growth, big.comparable.growth, big.difference) == (D("4"), D("2.5"), D("1.5"))


def test_a_longer_baseline_is_the_mean_of_the_periods_before(tenant):
    world(tenant)

    result = effectiveness.report(tenant=tenant, period=parse_period("2026-Q3"), baseline_periods=2)
    spif = by_name(result)["Summer SPIF"]

    assert [p.code for p in result.baseline_periods] == ["2026-Q1", "2026-Q2"]
    assert spif.reached.baseline == D("1300")  # (600 + 1 000 + 1 000) / 2
    assert spif.comparable.baseline == D("1000")
    assert spif.comparable.growth == D("1.2")


def test_a_rule_that_paid_nothing_has_no_figures_and_the_method_is_stated(tenant):
    IncentiveRuleFactory(tenant=tenant, name="Quiet", kind="bonus", params={})

    result = effectiveness.report(tenant=tenant, period=parse_period("2026-Q3"))

    quiet = by_name(result)["Quiet"]
    assert (quiet.cost, quiet.reached.partners, quiet.reached.growth, quiet.return_per_unit) == (
        0,
        0,
        None,
        None,
    )
    assert any("comparable group" in sentence for sentence in result.method)


def test_the_queries_do_not_grow_with_the_partners(tenant, other_tenant):
    world(tenant)
    world(other_tenant, extra=15)
    other_tenant.currency = "EUR"
    with CaptureQueriesContext(connection) as few:
        effectiveness.report(tenant=tenant, period=parse_period("2026-Q3"))

    with CaptureQueriesContext(connection) as many:
        result = effectiveness.report(tenant=other_tenant, period=parse_period("2026-Q3"))

    assert by_name(result)["Summer SPIF"].reached.partners == 17
    assert len(many) == len(few) <= 12


def test_another_tenants_figures_never_count(tenant, other_tenant):
    world(tenant)
    world(other_tenant)

    spif = by_name(effectiveness.report(tenant=tenant, period=parse_period("2026-Q3")))["Summer SPIF"]

    assert (spif.cost, spif.reached.partners, spif.comparable.partners) == (D("500"), 2, 2)


def base(tenant):
    return f"/api/v1/tenants/{tenant.slug}"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CHANNEL_MANAGER, Role.FINANCE])
def test_the_page_and_the_csv_for_managers_finance_and_admins(tenant, member, web, role):
    world(tenant)
    client = web(member(tenant, role))

    page = client.get(f"/t/{tenant.slug}/incentives/effectiveness/?period=2026-Q3")
    download = client.get(f"/t/{tenant.slug}/incentives/effectiveness.csv?period=2026-Q3&baseline=1")

    assert page.status_code == 200
    assert "Summer SPIF" in page.text and "How this is computed" in page.text
    assert download["X-Data-Formats"]
    rows = {row["rule"]: row for row in csv.DictReader(io.StringIO(download.content.decode()))}
    spif = rows["Summer SPIF"]
    assert (D(spif["cost"]), D(spif["growth"]), D(spif["return_per_unit"])) == (D("500"), D("0.4"), D("1.2"))
    assert (spif["baseline"], spif["currency"], spif["comparable_growth"]) == ("2026-Q2", "EUR", "0.1000")
    assert rows["Co-marketing"]["comparable_growth"] == "0.1667"  # ratios keep four decimals
    assert rows["Co-marketing"]["leads_after"] == "1"
    assert rows["Summer SPIF"]["leads_after"] == ""


def test_the_page_defaults_to_the_newest_approved_run_and_refuses_a_wrong_period(tenant, member, web):
    world(tenant)
    client = web(member(tenant, Role.FINANCE))

    assert "2026-Q3" in client.get(f"/t/{tenant.slug}/incentives/effectiveness/").text
    assert client.get(f"/t/{tenant.slug}/incentives/effectiveness/?period=nope").status_code == 400


def test_partner_users_and_regional_leads_may_not_read_it(tenant, member, partner_user, web, api):
    for user in (partner_user(tenant), member(tenant, Role.REGIONAL_LEAD)):
        assert web(user).get(f"/t/{tenant.slug}/incentives/effectiveness/").status_code == 403
        assert api(user).get(f"{base(tenant)}/reports/incentive-effectiveness/").status_code == 403


def test_the_api_answers_the_same_figures_with_the_method(tenant, member, api):
    world(tenant)

    response = api(member(tenant, Role.FINANCE)).get(
        f"{base(tenant)}/reports/incentive-effectiveness/", {"period": "2026-Q3", "baseline": 1}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["period"], body["baseline_periods"], body["currency"]) == ("2026-Q3", ["2026-Q2"], "EUR")
    spif = next(r for r in body["rules"] if r["rule_name"] == "Summer SPIF")
    assert (spif["cost"], spif["reached"]["partners"], spif["comparable"]["growth"]) == (
        "500.00",
        2,
        "0.1000",
    )
    assert (spif["difference"], spif["incremental"], spif["return_per_unit"]) == ("0.3000", "600.00", "1.20")
    assert body["method"]
    wrong = api(member(tenant, Role.FINANCE)).get(
        f"{base(tenant)}/reports/incentive-effectiveness/", {"baseline": 9}
    )
    assert wrong.status_code == 400

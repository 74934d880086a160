"""One currency truth: tiers and scorecards count a foreign sale at the tenant's rate of its date,
as payouts do; a sale no rate converts is reported by the job, never silently dropped."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from incentives.facts import load_facts
from incentives.rules.base import all_sales
from partners.tiering.recompute import tiers_recompute
from prm.periods import period_containing
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from scorecards.models import Scorecard, ScorecardLine
from scorecards.services.compute import scorecards_compute
from tests.factories import (
    ExchangeRateFactory,
    JobFactory,
    KpiFactory,
    PartnerFactory,
    SaleFactory,
    ScorecardFactory,
)

pytestmark = pytest.mark.django_db


def test_a_scorecard_counts_foreign_sales_at_the_rate_of_their_date(tenant):
    # given: USD was 0.90 from January and 0.80 from August; 1 000 USD sold in July and 1 000 in August,
    # 500 EUR in September
    partner = PartnerFactory(tenant=tenant, stage="signed")
    KpiFactory(tenant=tenant, code="revenue", source="sales", default_target=D("2000"))
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 1, 1), rate=D("0.90"))
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 8, 1), rate=D("0.80"))
    SaleFactory(tenant=tenant, partner=partner, amount=D("1000"), currency="USD", date=date(2026, 7, 15))
    SaleFactory(tenant=tenant, partner=partner, amount=D("1000"), currency="USD", date=date(2026, 8, 15))
    SaleFactory(tenant=tenant, partner=partner, amount=D("500"), currency="EUR", date=date(2026, 9, 15))

    # when
    with tenant_context(tenant):
        result = scorecards_compute(tenant=tenant, period="2026-Q3")

    # then: 900 + 800 + 500, and the scorecard keeps the conversion behind it
    line = ScorecardLine.objects.for_tenant(tenant).get(code="revenue", scorecard__partner=partner)
    assert line.actual == D("2200.00")
    assert "unconverted" not in result
    assert line.scorecard.conversions == [
        {"currency": "USD", "amount": "2000.00", "converted": "1700.00", "rate": "0.850000"}
    ]


def test_a_sale_no_rate_converts_is_reported_by_the_compute_not_counted(tenant):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    KpiFactory(tenant=tenant, code="revenue", source="sales", default_target=D("1000"))
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 9, 1), rate=D("0.90"))
    SaleFactory(tenant=tenant, partner=partner, amount=D("1000"), currency="USD", date=date(2026, 7, 15))
    SaleFactory(tenant=tenant, partner=partner, amount=D("1000"), currency="GBP", date=date(2026, 8, 2))
    SaleFactory(tenant=tenant, partner=partner, amount=D("300"), currency="EUR", date=date(2026, 8, 2))

    with tenant_context(tenant):
        result = scorecards_compute(tenant=tenant, period="2026-Q3")

    # the USD sale predates the first USD rate; no GBP rate at all
    assert result["unconverted"] == [
        {"currency": "GBP", "sales": 1, "from": "2026-08-02"},
        {"currency": "USD", "sales": 1, "from": "2026-07-15"},
    ]
    assert ScorecardLine.objects.for_tenant(tenant).get(code="revenue").actual == D("300.00")


def test_a_partner_selling_in_another_currency_is_competitive_not_tier_d(tenant):
    # given: two sellers of the same size, one in EUR, one in USD at 0.9
    today = timezone.localdate()
    euro = PartnerFactory(tenant=tenant, name="Euro", stage="signed")
    dollar = PartnerFactory(tenant=tenant, name="Dollar", stage="signed")
    small = PartnerFactory(tenant=tenant, name="Small", stage="signed")
    ExchangeRateFactory(tenant=tenant, currency="USD", date=today - timedelta(days=400), rate=D("0.9"))
    SaleFactory(
        tenant=tenant, partner=euro, amount=D("9000"), currency="EUR", date=today - timedelta(days=10)
    )
    SaleFactory(
        tenant=tenant, partner=dollar, amount=D("10000"), currency="USD", date=today - timedelta(days=10)
    )
    SaleFactory(
        tenant=tenant, partner=small, amount=D("100"), currency="EUR", date=today - timedelta(days=10)
    )

    # when
    with tenant_context(tenant):
        result = tiers_recompute(tenant=tenant)

    # then: the USD seller's revenue is 9 000 in EUR, level with the EUR seller
    dollar.refresh_from_db()
    euro.refresh_from_db()
    assert dollar.tier_axes["inputs"]["revenue"] == 9000.0
    assert dollar.tier_axes["inputs"]["revenue_percentile"] == euro.tier_axes["inputs"]["revenue_percentile"]
    assert "unconverted" not in result


def test_the_job_page_names_the_sales_without_a_rate(web, tenant, member):
    job = JobFactory(
        tenant=tenant,
        kind="compute_scorecards",
        status="succeeded",
        progress=1,
        result={
            "period": "2026-Q3",
            "scorecards": 3,
            "unconverted": [{"currency": "GBP", "sales": 4, "from": "2026-08-02"}],
        },
    )

    html = web(member(tenant, Role.FINANCE)).get(f"/t/alpha/jobs/{job.pk}/").content.decode()

    assert 'data-testid="job-unconverted"' in html
    assert "4 sales in GBP, the first on 2026-08-02" in html
    assert "/t/alpha/exchange-rates/" in html


def test_the_tier_explanation_shows_the_conversion_behind_the_revenue_and_payouts_use_the_same_rate(
    tenant, web, member
):

    period = period_containing(timezone.localdate())
    first, second = period.start, period.start + timedelta(days=1)  # two days of this quarter
    dollar = PartnerFactory(tenant=tenant, name="Dollar", stage="signed")
    ExchangeRateFactory(tenant=tenant, currency="USD", date=first - timedelta(days=300), rate=D("0.9"))
    ExchangeRateFactory(tenant=tenant, currency="USD", date=second, rate=D("0.8"))
    SaleFactory(tenant=tenant, partner=dollar, amount=D("1000"), currency="USD", date=first)
    SaleFactory(tenant=tenant, partner=dollar, amount=D("1000"), currency="USD", date=second)

    with tenant_context(tenant):
        tiers_recompute(tenant=tenant)
        facts = load_facts(tenant, period)
    dollar.refresh_from_db()
    page = web(member(tenant, Role.CHANNEL_MANAGER)).get(f"/t/alpha/partners/{dollar.pk}/").content.decode()

    # 900 + 800 = 1 700 EUR for 2 000 USD, a mean rate of 0.85
    assert dollar.tier_axes["inputs"]["revenue_converted"] == [
        {"currency": "USD", "amount": "2000.00", "converted": "1700.00", "rate": "0.850000"}
    ]
    assert 'data-testid="revenue-conversions"' in page and "2,000.00 USD → 1,700.00 EUR" in page
    rates = {day: D(rate) for day, rate in all_sales(facts[dollar.pk]).source["rates"].items()}
    assert rates == {f"USD@{first}": D("0.9"), f"USD@{second}": D("0.8")}


def test_the_scorecard_page_shows_the_rate_behind_its_revenue(tenant, web, member):

    card = ScorecardFactory(
        tenant=tenant,
        conversions=[{"currency": "BRL", "amount": "10000.00", "converted": "1800.00", "rate": "0.180000"}],
    )

    page = web(member(tenant, Role.CHANNEL_MANAGER)).get(f"/t/alpha/scorecards/{card.pk}/").content.decode()

    assert 'data-testid="scorecard-conversions"' in page and "10,000.00 BRL → 1,800.00 EUR" in page
    assert Scorecard.objects.for_tenant(tenant).count() == 1

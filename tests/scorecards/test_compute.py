"""Computing every scored partner's scorecard for a period: actuals, targets, score, cohort, trend."""

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prm.tenancy.context import tenant_context
from scorecards import sources
from scorecards.defaults import ensure_default_kpis
from scorecards.models import Kpi, ManualValue, Scorecard, ScorecardLine, ScorecardRevision
from scorecards.services.compute import scorecards_compute
from tests.factories import (
    DealRegistrationFactory,
    KpiFactory,
    ManualValueFactory,
    PartnerFactory,
    ProductRegistrationFactory,
    SaleFactory,
    SatisfactionResultFactory,
    ScorecardFactory,
    TargetFactory,
    TenantFactory,
)

pytestmark = pytest.mark.django_db

PERIOD = "2026-Q3"  # 1 July – 30 September 2026
IN_Q3 = date(2026, 8, 15)
IN_Q2 = date(2026, 5, 15)
DEFAULT_CODES = {
    "revenue",
    "growth",
    "deal_registrations",
    "win_rate",
    "product_registrations",
    "satisfaction",
    "training",
}


def compute(tenant, period=PERIOD) -> dict:
    with tenant_context(tenant):
        return scorecards_compute(tenant=tenant, period=period)


def kpi(tenant, code) -> Kpi:
    ensure_default_kpis(tenant)
    return Kpi.objects.for_tenant(tenant).get(code=code)


def card(partner, period=PERIOD) -> Scorecard:
    return Scorecard.objects.for_tenant(partner.tenant).get(partner=partner, period=period)


def line(partner, code, period=PERIOD) -> ScorecardLine:
    return ScorecardLine.objects.for_tenant(partner.tenant).get(
        scorecard__partner=partner, scorecard__period=period, code=code
    )


def scored(tenant, **fields):
    fields = {"stage": "signed", "region": "North", "computed_tier": "A", **fields}
    return PartnerFactory(tenant=tenant, **fields)


def registered_on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def deal(tenant, partner, status, day=IN_Q3):
    return DealRegistrationFactory(
        tenant=tenant, partner=partner, status=status, registered_at=registered_on(day)
    )


@pytest.fixture
def single_kpi(tenant):
    """Only one KPI counts: a manual one, target 100, so the score is the value entered (capped at 100)."""
    ensure_default_kpis(tenant)
    Kpi.objects.for_tenant(tenant).update(active=False)
    return KpiFactory(tenant=tenant, code="score", source="manual", weight=D("1"), default_target=D("100"))


def scoring(tenant, single_kpi, value, **fields):
    partner = scored(tenant, **fields)
    ManualValueFactory(tenant=tenant, partner=partner, kpi=single_kpi, period=PERIOD, value=D(value))
    return partner


# --- who is scored ------------------------------------------------------------------


def test_only_signed_and_certified_partners_get_a_scorecard(tenant):
    # given
    signed = scored(tenant, stage="signed")
    certified = scored(tenant, stage="certified")
    for stage in ("prospecting", "first_talks", "selection", "strategic", "lost", "dormant"):
        scored(tenant, stage=stage)

    # when
    result = compute(tenant)

    # then
    assert result == {"period": PERIOD, "scorecards": 2}
    assert set(Scorecard.objects.for_tenant(tenant).values_list("partner_id", flat=True)) == {
        signed.pk,
        certified.pk,
    }


def test_another_tenants_partners_get_no_scorecard(tenant, other_tenant):
    # given
    ours = scored(tenant)
    scored(other_tenant)

    # when
    compute(tenant)

    # then
    assert list(Scorecard.objects.for_tenant(tenant).values_list("partner_id", flat=True)) == [ours.pk]
    assert not Scorecard.objects.for_tenant(other_tenant).exists()


def test_a_scorecard_has_a_line_per_active_kpi_in_their_order(tenant):
    # given
    partner = scored(tenant)
    ensure_default_kpis(tenant)
    KpiFactory(tenant=tenant, code="visits", source="visits", position=20)
    KpiFactory(tenant=tenant, code="retired", source="visits", position=21, active=False)

    # when
    compute(tenant)

    # then
    lines = ScorecardLine.objects.for_tenant(tenant).filter(scorecard=card(partner))
    codes = list(lines.order_by("position", "code").values_list("code", flat=True))
    assert codes == [
        "revenue",
        "growth",
        "deal_registrations",
        "win_rate",
        "product_registrations",
        "satisfaction",
        "training",
        "visits",
    ]


# --- revenue and targets ------------------------------------------------------------


def test_revenue_is_the_sum_of_the_partners_sales_inside_the_period(tenant, other_tenant):
    # given
    partner = scored(tenant)
    rival = scored(tenant)
    SaleFactory(tenant=tenant, partner=partner, amount=D("1000.00"), date=date(2026, 7, 1))
    SaleFactory(tenant=tenant, partner=partner, amount=D("2500.50"), date=date(2026, 9, 30))
    SaleFactory(tenant=tenant, partner=partner, amount=D("9999.00"), date=date(2026, 6, 30))  # Q2
    SaleFactory(tenant=tenant, partner=partner, amount=D("9999.00"), date=date(2026, 10, 1))  # Q4
    SaleFactory(tenant=tenant, partner=rival, amount=D("7777.00"), date=IN_Q3)
    SaleFactory(tenant=other_tenant, partner=partner, amount=D("9999.00"), date=IN_Q3)
    TargetFactory(tenant=tenant, partner=partner, kpi=kpi(tenant, "revenue"), period=PERIOD, value=D("5000"))

    # when
    compute(tenant)

    # then: 3500.50 / 5000 = 0.7001, × weight 3 = 2.1003
    revenue = line(partner, "revenue")
    assert revenue.actual == D("3500.50")
    assert revenue.target == D("5000.00")
    assert revenue.attainment == D("0.7001")
    assert revenue.weight == D("3.00")
    assert revenue.points == D("2.10")
    assert line(rival, "revenue").actual == D("7777.00")


def test_the_target_is_the_one_agreed_for_that_partner_period_and_kpi(tenant):
    # given
    partner = scored(tenant)
    other = scored(tenant)
    revenue = kpi(tenant, "revenue")
    SaleFactory(tenant=tenant, partner=partner, amount=D("3000"), date=IN_Q3)
    TargetFactory(tenant=tenant, partner=partner, kpi=revenue, period=PERIOD, value=D("4000"))
    TargetFactory(tenant=tenant, partner=partner, kpi=revenue, period="2026-Q2", value=D("1000"))
    TargetFactory(tenant=tenant, partner=partner, kpi=kpi(tenant, "growth"), period=PERIOD, value=D("2"))
    TargetFactory(tenant=tenant, partner=other, kpi=revenue, period=PERIOD, value=D("1500"))

    # when
    compute(tenant)

    # then: 3000 / 4000
    assert line(partner, "revenue").target == D("4000.00")
    assert line(partner, "revenue").attainment == D("0.7500")
    assert line(partner, "revenue").points == D("2.25")


def test_revenue_without_a_target_is_shown_but_not_counted(tenant):
    # given: revenue has no default target
    partner = scored(tenant)
    SaleFactory(tenant=tenant, partner=partner, amount=D("3000"), date=IN_Q3)

    # when
    compute(tenant)

    # then
    revenue = line(partner, "revenue")
    assert revenue.actual == D("3000.00")
    assert (revenue.target, revenue.attainment, revenue.points) == (None, None, None)


def test_the_default_target_is_used_when_none_was_agreed(tenant):
    # given: won 1 of 2 -> win rate 50 against the default target of 40
    partner = scored(tenant)
    deal(tenant, partner, "won")
    deal(tenant, partner, "lost")

    # when
    compute(tenant)

    # then
    win_rate = line(partner, "win_rate")
    assert win_rate.target == D("40.00")
    assert win_rate.actual == D("50.00")
    assert win_rate.attainment == D("1.2500")
    assert win_rate.points == D("1.00")


def test_an_agreed_target_replaces_the_default_target(tenant):
    # given: win rate 50 against an agreed 75
    partner = scored(tenant)
    deal(tenant, partner, "won")
    deal(tenant, partner, "lost")
    TargetFactory(tenant=tenant, partner=partner, kpi=kpi(tenant, "win_rate"), period=PERIOD, value=D("75"))

    # when
    compute(tenant)

    # then: 50 / 75 = 0.6667
    win_rate = line(partner, "win_rate")
    assert win_rate.target == D("75.00")
    assert win_rate.attainment == D("0.6667")
    assert win_rate.points == D("0.67")


# --- growth -------------------------------------------------------------------------


def test_growth_is_the_revenue_change_against_the_previous_quarter_in_percent(tenant):
    # given: 3600 in Q2, 4500 in Q3 -> +25 % against the default target of 10 %
    partner = scored(tenant)
    SaleFactory(tenant=tenant, partner=partner, amount=D("3600"), date=date(2026, 4, 1))
    SaleFactory(tenant=tenant, partner=partner, amount=D("4500"), date=date(2026, 7, 1))
    SaleFactory(tenant=tenant, partner=partner, amount=D("5000"), date=date(2026, 3, 31))  # Q1

    # when
    compute(tenant)

    # then
    growth = line(partner, "growth")
    assert growth.actual == D("25.00")
    assert growth.target == D("10.00")
    assert growth.attainment == D("2.5000")
    assert growth.points == D("1.00")


def test_shrinking_revenue_is_negative_growth_and_earns_no_points(tenant):
    # given: 4000 in Q2, 1000 in Q3 -> -75 %
    partner = scored(tenant)
    SaleFactory(tenant=tenant, partner=partner, amount=D("4000"), date=IN_Q2)
    SaleFactory(tenant=tenant, partner=partner, amount=D("1000"), date=IN_Q3)

    # when
    compute(tenant)

    # then
    growth = line(partner, "growth")
    assert growth.actual == D("-75.00")
    assert growth.attainment == D("-7.5000")
    assert growth.points == D("0.00")


def test_no_revenue_this_quarter_after_some_last_quarter_is_minus_100_percent(tenant):
    # given
    partner = scored(tenant)
    SaleFactory(tenant=tenant, partner=partner, amount=D("4000"), date=IN_Q2)

    # when
    compute(tenant)

    # then
    assert line(partner, "growth").actual == D("-100.00")
    assert line(partner, "growth").points == D("0.00")


def test_growth_is_not_counted_when_the_previous_quarter_had_no_revenue(tenant):
    # given
    partner = scored(tenant)
    SaleFactory(tenant=tenant, partner=partner, amount=D("4500"), date=IN_Q3)

    # when
    compute(tenant)

    # then
    growth = line(partner, "growth")
    assert growth.target == D("10.00")
    assert (growth.actual, growth.attainment, growth.points) == (None, None, None)


def test_growth_of_a_month_compares_with_the_previous_month(tenant):
    # given: June 2000, July 2500 -> +25 %
    partner = scored(tenant)
    SaleFactory(tenant=tenant, partner=partner, amount=D("2000"), date=date(2026, 6, 30))
    SaleFactory(tenant=tenant, partner=partner, amount=D("2500"), date=date(2026, 7, 31))
    SaleFactory(tenant=tenant, partner=partner, amount=D("9000"), date=date(2026, 5, 31))

    # when
    compute(tenant, period="2026-07")

    # then
    assert line(partner, "growth", period="2026-07").actual == D("25.00")


def test_a_huge_attainment_is_stored_and_scored_at_most_the_weight(tenant):
    # given: a token sale last quarter, a real business this quarter
    partner = scored(tenant)
    SaleFactory(tenant=tenant, partner=partner, amount=D("10"), date=IN_Q2)
    SaleFactory(tenant=tenant, partner=partner, amount=D("100000"), date=IN_Q3)

    # when
    compute(tenant)

    # then
    growth = line(partner, "growth")
    assert growth.actual == D("999900.00")
    assert growth.attainment > 1
    assert growth.points == D("1.00")  # the KPI's weight, however far above the target


# --- deal registrations and win rate ------------------------------------------------


def test_win_rate_is_won_over_closed_deals_registered_in_the_period(tenant):
    # given: in Q3 won 2, lost 1 and still open 2; a won deal registered in Q2 does not count
    partner = scored(tenant)
    for status in ("won", "won", "lost", "pending", "approved"):
        deal(tenant, partner, status)
    deal(tenant, partner, "won", day=date(2026, 6, 30))
    deal(tenant, partner, "lost", day=date(2026, 10, 1))

    # when
    compute(tenant)

    # then: 100 × 2 / 3 = 66.67 against 40 -> 1.6667
    win_rate = line(partner, "win_rate")
    assert win_rate.actual == D("66.67")
    assert win_rate.attainment == D("1.6667")
    assert win_rate.points == D("1.00")


def test_no_closed_deals_means_no_win_rate(tenant):
    # given
    partner = scored(tenant)
    deal(tenant, partner, "pending")

    # when
    compute(tenant)

    # then
    assert line(partner, "win_rate").actual is None
    assert line(partner, "win_rate").points is None


def test_deal_registrations_count_every_registration_in_the_period(tenant):
    # given: 2 in Q3 (any status), 1 in Q2; default target 3
    partner = scored(tenant)
    deal(tenant, partner, "pending", day=date(2026, 7, 1))
    deal(tenant, partner, "rejected", day=date(2026, 9, 30))
    deal(tenant, partner, "won", day=date(2026, 6, 30))

    # when
    compute(tenant)

    # then
    registrations = line(partner, "deal_registrations")
    assert registrations.actual == D("2.00")
    assert registrations.target == D("3.00")
    assert registrations.attainment == D("0.6667")
    assert registrations.points == D("0.67")


# --- engagement ---------------------------------------------------------------------


def test_satisfaction_is_the_net_promoter_score(tenant):
    # given: 4 promoters (10, 10, 9, 9), 2 passives (8, 7), 2 detractors (6, 2);
    # an answer outside the quarter does not count
    partner = scored(tenant)
    for score in (10, 10, 9, 9, 8, 7, 6, 2):
        SatisfactionResultFactory(tenant=tenant, partner=partner, score=score, date=IN_Q3)
    SatisfactionResultFactory(tenant=tenant, partner=partner, score=0, date=date(2026, 6, 30))

    # when
    compute(tenant)

    # then: 100 × (4 − 2) / 8 = 25 against the default 30
    satisfaction = line(partner, "satisfaction")
    assert satisfaction.actual == D("25.00")
    assert satisfaction.target == D("30.00")
    assert satisfaction.attainment == D("0.8333")
    assert satisfaction.points == D("0.83")


def test_a_net_promoter_score_can_be_negative(tenant):
    # given: 1 promoter, 3 detractors of 4 -> -50
    partner = scored(tenant)
    for score in (9, 6, 0, 5):
        SatisfactionResultFactory(tenant=tenant, partner=partner, score=score, date=IN_Q3)

    # when
    compute(tenant)

    # then
    assert line(partner, "satisfaction").actual == D("-50.00")
    assert line(partner, "satisfaction").points == D("0.00")


def test_product_registrations_are_counted_in_the_period(tenant, other_tenant):
    # given: 2 in Q3, 1 in Q2, 1 in the other tenant; default target 5
    partner = scored(tenant)
    ProductRegistrationFactory(tenant=tenant, partner=partner, date=date(2026, 7, 1))
    ProductRegistrationFactory(tenant=tenant, partner=partner, date=date(2026, 9, 30))
    ProductRegistrationFactory(tenant=tenant, partner=partner, date=date(2026, 6, 30))
    ProductRegistrationFactory(tenant=other_tenant, partner=partner, date=IN_Q3)

    # when
    compute(tenant)

    # then
    registrations = line(partner, "product_registrations")
    assert registrations.actual == D("2.00")
    assert registrations.attainment == D("0.4000")
    assert registrations.points == D("0.40")


def test_training_nobody_did_counts_zero_against_its_target(tenant):
    # given
    partner = scored(tenant)

    # when
    compute(tenant)

    # then: no data against a target is 0%, never left out (doing nothing must not score higher)
    training = line(partner, "training")
    assert training.target == D("100.00")
    assert (training.actual, training.points) == (D("0.00"), D("0.00"))


def test_a_kpi_that_no_source_measures_is_left_out(tenant, monkeypatch):

    partner = scored(tenant)
    monkeypatch.delitem(sources._sources, "training")

    compute(tenant)

    assert (line(partner, "training").actual, line(partner, "training").points) == (None, None)


# --- manual KPIs and direction ------------------------------------------------------


def test_a_manual_kpi_takes_the_value_entered_for_the_period(tenant):
    # given
    partner = scored(tenant)
    ensure_default_kpis(tenant)
    certifications = KpiFactory(
        tenant=tenant, code="certifications", source="manual", weight=D("2"), default_target=D("4")
    )
    ManualValueFactory(tenant=tenant, partner=partner, kpi=certifications, period=PERIOD, value=D("3"))
    ManualValueFactory(tenant=tenant, partner=partner, kpi=certifications, period="2026-Q2", value=D("9"))

    # when
    compute(tenant)

    # then: 3 / 4 = 0.75, × 2
    manual = line(partner, "certifications")
    assert manual.actual == D("3.00")
    assert manual.attainment == D("0.7500")
    assert manual.points == D("1.50")


def test_a_manual_kpi_without_a_value_counts_zero_and_without_a_target_is_left_out(tenant):
    # given
    partner = scored(tenant)
    ensure_default_kpis(tenant)
    KpiFactory(tenant=tenant, code="certifications", source="manual", default_target=D("4"))
    KpiFactory(tenant=tenant, code="events", source="manual", default_target=None)

    # when
    compute(tenant)

    # then
    assert (line(partner, "certifications").actual, line(partner, "certifications").points) == (
        D("0.00"),
        D("0.00"),
    )
    assert (line(partner, "events").actual, line(partner, "events").points) == (None, None)


@pytest.mark.parametrize(
    ("value", "attainment", "points"),
    [
        ("4", D("0.5000"), D("1.00")),  # twice the target: half attained
        ("1", D("2.0000"), D("2.00")),  # better than the target, capped at the weight
        ("0", D("1.5000"), D("2.00")),  # nothing at all: better than any target
    ],
)
def test_a_lower_is_better_kpi_scores_target_over_actual(tenant, value, attainment, points):
    # given: days to answer a support ticket, agreed target 2
    partner = scored(tenant)
    ensure_default_kpis(tenant)
    response = KpiFactory(
        tenant=tenant, code="response_days", source="manual", direction="lower", weight=D("2")
    )
    TargetFactory(tenant=tenant, partner=partner, kpi=response, period=PERIOD, value=D("2"))
    ManualValueFactory(tenant=tenant, partner=partner, kpi=response, period=PERIOD, value=D(value))

    # when
    compute(tenant)

    # then
    stored = line(partner, "response_days")
    assert stored.direction == "lower"
    assert stored.attainment == attainment
    assert stored.points == points


# --- the score ----------------------------------------------------------------------


@pytest.fixture
def all_round(tenant):
    """A partner measured on every KPI but training (no source), plus a manual KPI.

    revenue        4500 / 6000 = 0.75       × 3 = 2.25
    growth         (4500 − 3600) / 3600 = 25 % / 10 = 2.5 -> 1     × 1 = 1
    deal regs      3 / agreed 6 = 0.5        × 1 = 0.5
    win rate       1 won / 3 closed = 33.33 % / 40 = 0.8333…       × 1 = 0.8333…
    product regs   2 / 5 = 0.4              × 1 = 0.4
    satisfaction   NPS 25 / 30 = 0.8333…     × 1 = 0.8333…
    training       no data                  (weight 1 not counted)
    certifications 3 / 4 = 0.75 (manual)    × 2 = 1.5
    plus training (weight 1, nobody trained: 0 points, counted)
    -> 100 × 7.31666… / 11 = 66.515… -> 66.52 (rounding each line first would give 66.45)
    performance 100 × 4.58333… / 6 = 76.39; engagement 100 × 1.23333… / 2 = 61.67;
    activation 100 × 1.5 / 3 = 50.00
    """
    partner = scored(tenant)
    ensure_default_kpis(tenant)
    certifications = KpiFactory(
        tenant=tenant,
        code="certifications",
        source="manual",
        weight=D("2"),
        dimension="activation",
        default_target=D("4"),
    )
    SaleFactory(tenant=tenant, partner=partner, amount=D("3600"), date=IN_Q2)
    SaleFactory(tenant=tenant, partner=partner, amount=D("3000"), date=IN_Q3)
    SaleFactory(tenant=tenant, partner=partner, amount=D("1500"), date=IN_Q3)
    TargetFactory(tenant=tenant, partner=partner, kpi=kpi(tenant, "revenue"), period=PERIOD, value=D("6000"))
    TargetFactory(
        tenant=tenant, partner=partner, kpi=kpi(tenant, "deal_registrations"), period=PERIOD, value=D("6")
    )
    for status in ("won", "lost", "lost"):
        deal(tenant, partner, status)
    ProductRegistrationFactory.create_batch(2, tenant=tenant, partner=partner, date=IN_Q3)
    for score in (10, 10, 9, 9, 8, 7, 6, 2):
        SatisfactionResultFactory(tenant=tenant, partner=partner, score=score, date=IN_Q3)
    ManualValueFactory(tenant=tenant, partner=partner, kpi=certifications, period=PERIOD, value=D("3"))
    return partner


def test_the_score_is_the_weighted_score_of_the_measured_kpis_rounded_once(tenant, all_round):
    # when
    compute(tenant)

    # then
    assert card(all_round).score == D("66.52")


def test_the_dimension_scores_are_weighted_within_each_dimension(tenant, all_round):
    # when
    compute(tenant)

    # then
    assert card(all_round).dimensions == {"performance": 76.39, "engagement": 61.67, "activation": 50.0}


def test_the_scorecard_records_the_partners_tier_and_region(tenant):
    # given: an override is the tier in force
    partner = scored(tenant, computed_tier="C", tier_override="A", region="South")

    # when
    compute(tenant)

    # then
    stored = card(partner)
    assert (stored.tier, stored.region) == ("A", "South")


def test_a_partner_with_nothing_measured_scores_zero(tenant):
    # given
    partner = scored(tenant)

    # when
    compute(tenant)

    # then
    stored = card(partner)
    assert stored.score == D("0")
    assert stored.dimensions == {"performance": 0.0, "engagement": 0.0, "activation": 0.0}


# --- cohort and rank ----------------------------------------------------------------
# (widening a cohort too small to compare: tests/scorecards/test_cohorts.py)


def cohorts_of_any_size(tenant):
    """Rank within tier and region however few they are (the programme's ``min_cohort_size`` 1)."""
    tenant.programme_settings = {**tenant.programme_settings, "scorecards": {"min_cohort_size": 1}}
    tenant.save(update_fields=["programme_settings"])


def test_partners_are_ranked_within_their_tier_and_region_and_ties_share_a_rank(tenant, single_kpi):
    # given: four A partners in the North
    best = scoring(tenant, single_kpi, "90")
    tied = [scoring(tenant, single_kpi, "80"), scoring(tenant, single_kpi, "80")]
    last = scoring(tenant, single_kpi, "70")

    # when
    compute(tenant)

    # then
    assert card(best).score == D("90.00")
    assert [(card(p).rank, card(p).cohort_size) for p in (best, *tied, last)] == [
        (1, 4),
        (2, 4),
        (2, 4),
        (4, 4),
    ]


def test_another_region_or_tier_is_another_cohort(tenant, single_kpi):
    # given
    cohorts_of_any_size(tenant)
    north_a = [scoring(tenant, single_kpi, "50"), scoring(tenant, single_kpi, "40")]
    south_a = scoring(tenant, single_kpi, "10", region="South")
    north_b = [
        scoring(tenant, single_kpi, "20", computed_tier="B"),
        scoring(tenant, single_kpi, "95", computed_tier="B"),
    ]

    # when
    compute(tenant)

    # then
    assert [(card(p).rank, card(p).cohort_size) for p in north_a] == [(1, 2), (2, 2)]
    assert (card(south_a).rank, card(south_a).cohort_size) == (1, 1)
    assert [(card(p).rank, card(p).cohort_size) for p in north_b] == [(2, 2), (1, 2)]


def test_an_overridden_tier_puts_the_partner_in_that_tiers_cohort(tenant, single_kpi):
    # given
    cohorts_of_any_size(tenant)
    a_partner = scoring(tenant, single_kpi, "60")
    promoted = scoring(tenant, single_kpi, "70", computed_tier="C", tier_override="A")

    # when
    compute(tenant)

    # then
    assert (card(promoted).rank, card(promoted).cohort_size) == (1, 2)
    assert (card(a_partner).rank, card(a_partner).cohort_size) == (2, 2)


# --- trend --------------------------------------------------------------------------


def test_the_previous_score_and_change_come_from_the_previous_periods_scorecard(tenant, single_kpi):
    # given: Q2 is the previous period; Q1 and the month of June are not
    partner = scoring(tenant, single_kpi, "75")
    ScorecardFactory(tenant=tenant, partner=partner, period="2026-Q2", score=D("60.50"))
    ScorecardFactory(tenant=tenant, partner=partner, period="2026-Q1", score=D("10.00"))
    ScorecardFactory(tenant=tenant, partner=partner, period="2026-06", score=D("20.00"))

    # when
    compute(tenant)

    # then
    stored = card(partner)
    assert stored.previous_score == D("60.50")
    assert stored.change == D("14.50")


def test_a_partner_without_a_previous_scorecard_has_no_change(tenant, other_tenant, single_kpi):
    # given: only another tenant's row for the partner
    partner = scoring(tenant, single_kpi, "75")
    ScorecardFactory(tenant=other_tenant, partner=partner, period="2026-Q2", score=D("60.00"))

    # when
    compute(tenant)

    # then
    stored = card(partner)
    assert stored.previous_score is None
    assert stored.change is None


def test_computing_two_periods_in_turn_links_them(tenant, single_kpi):
    # given
    partner = scoring(tenant, single_kpi, "75")
    ManualValueFactory(tenant=tenant, partner=partner, kpi=single_kpi, period="2026-Q2", value=D("82.25"))
    compute(tenant, period="2026-Q2")

    # when
    compute(tenant)

    # then
    stored = card(partner)
    assert stored.previous_score == D("82.25")
    assert stored.change == D("-7.25")


# --- recomputing --------------------------------------------------------------------


def snapshot(tenant):
    cards = Scorecard.objects.for_tenant(tenant).filter(period=PERIOD)
    lines = ScorecardLine.objects.for_tenant(tenant).filter(scorecard__period=PERIOD)
    return {
        "cards": sorted(cards.values_list("partner_id", "score", "rank", "cohort_size", "previous_score")),
        "lines": sorted(lines.values_list("scorecard__partner_id", "code", "actual", "target", "points")),
    }


def test_recomputing_a_period_with_nothing_changed_keeps_its_scorecards_as_they_are(tenant, all_round):
    # given
    second = scored(tenant, region="South")
    SaleFactory(tenant=tenant, partner=second, amount=D("900"), date=IN_Q3)
    compute(tenant)
    before = snapshot(tenant)
    card_ids = set(Scorecard.objects.for_tenant(tenant).values_list("id", flat=True))
    line_ids = set(ScorecardLine.objects.for_tenant(tenant).values_list("id", flat=True))

    # when
    result = compute(tenant)

    # then: the same cards and lines, each once, no new revision and no history
    assert result["scorecards"] == 2
    assert snapshot(tenant) == before
    assert set(Scorecard.objects.for_tenant(tenant).values_list("id", flat=True)) == card_ids
    # 2 partners × 8 KPIs (the 7 defaults and certifications), each line once, not written again
    assert set(ScorecardLine.objects.for_tenant(tenant).values_list("id", flat=True)) == line_ids
    assert len(line_ids) == 16
    assert card(all_round).score == D("66.52")
    assert set(Scorecard.objects.for_tenant(tenant).values_list("revision", flat=True)) == {1}
    assert not ScorecardRevision.objects.for_tenant(tenant).exists()


def test_recomputing_takes_up_changed_data(tenant, single_kpi):
    # given
    partner = scoring(tenant, single_kpi, "40")
    compute(tenant)
    first = card(partner)

    # when
    ManualValue.objects.for_tenant(tenant).filter(partner=partner).update(value=D("65"))
    compute(tenant)

    # then: the same card, its next revision, its lines those of the new figures only
    assert (card(partner).pk, card(partner).score, card(partner).revision) == (first.pk, D("65.00"), 2)
    assert line(partner, "score").actual == D("65.00")
    assert ScorecardLine.objects.for_tenant(tenant).filter(scorecard=first).count() == 1


def test_a_recompute_keeps_the_earlier_figures_of_a_changed_scorecard_only(tenant, single_kpi):
    # given: two partners computed, then one of them's value changes
    moved = scoring(tenant, single_kpi, "40")
    still = scoring(tenant, single_kpi, "70")
    compute(tenant)
    earlier, earlier_line = card(moved), line(moved, "score")
    ManualValue.objects.for_tenant(tenant).filter(partner=moved).update(value=D("65"))

    # when
    compute(tenant)

    # then: the changed card's revision 1 is kept as it was shown, lines and all; the other has no history
    kept = ScorecardRevision.objects.for_tenant(tenant).get()
    assert (kept.scorecard_id, kept.revision, kept.score, kept.rank, kept.computed_at) == (
        earlier.pk,
        1,
        D("40.00"),
        earlier.rank,
        earlier.computed_at,
    )
    assert kept.superseded_at == card(moved).computed_at
    assert [(row["code"], row["target"], row["actual"], row["points"]) for row in kept.lines] == [
        ("score", str(earlier_line.target), "40.00", str(earlier_line.points))
    ]
    assert line(moved, "score").actual == D("65.00")
    assert card(still).revision == 1
    assert not ScorecardRevision.objects.for_tenant(tenant).filter(scorecard=card(still)).exists()


def test_a_kpi_reweighed_gives_every_scorecard_a_new_revision(tenant, single_kpi):
    # given
    partner = scoring(tenant, single_kpi, "40")
    compute(tenant)

    # when: the same values, another weight
    Kpi.objects.for_tenant(tenant).filter(pk=single_kpi.pk).update(weight=D("2"))
    compute(tenant)

    # then
    assert card(partner).revision == 2
    assert ScorecardRevision.objects.for_tenant(tenant).get().lines[0]["weight"] == "1.00"


def test_recomputing_leaves_other_periods_and_tenants_alone(tenant, other_tenant, single_kpi):
    # given
    partner = scoring(tenant, single_kpi, "40")
    earlier = ScorecardFactory(tenant=tenant, partner=partner, period="2026-Q2")
    theirs = ScorecardFactory(tenant=other_tenant, partner=scored(other_tenant), period=PERIOD)

    # when
    compute(tenant)
    compute(tenant)

    # then
    assert Scorecard.objects.for_tenant(tenant).filter(pk=earlier.pk).exists()
    assert Scorecard.objects.for_tenant(other_tenant).filter(pk=theirs.pk).exists()


def test_a_partner_no_longer_scored_keeps_its_scorecard_withdrawn_out_of_the_period(tenant, single_kpi):
    # given
    partner = scoring(tenant, single_kpi, "40")
    other = scoring(tenant, single_kpi, "30")
    compute(tenant)
    withdrawn = card(partner)

    # when
    type(partner).objects.for_tenant(tenant).filter(pk=partner.pk).update(stage="dormant")
    result = compute(tenant)

    # then: kept as it was, marked, out of the period's current cards and of the other's cohort
    assert result == {"period": PERIOD, "scorecards": 1, "withdrawn": 1}
    kept = card(partner)
    assert (kept.pk, kept.score, kept.withdrawn_at) == (withdrawn.pk, D("40.00"), card(other).computed_at)
    assert list(Scorecard.objects.for_tenant(tenant).current().values_list("partner_id", flat=True)) == [
        other.pk
    ]
    assert (card(other).rank, card(other).cohort_size) == (1, 1)


def test_a_partner_scored_again_gets_its_withdrawn_scorecard_back(tenant, single_kpi):
    # given: withdrawn by a recompute
    partner = scoring(tenant, single_kpi, "40")
    compute(tenant)
    first = card(partner)
    type(partner).objects.for_tenant(tenant).filter(pk=partner.pk).update(stage="dormant")
    compute(tenant)

    # when
    type(partner).objects.for_tenant(tenant).filter(pk=partner.pk).update(stage="signed")
    compute(tenant)

    # then
    assert (card(partner).pk, card(partner).withdrawn_at) == (first.pk, None)


# --- a fixed number of queries ------------------------------------------------------


def make_partners(tenant, count):
    ensure_default_kpis(tenant)
    certifications = KpiFactory(tenant=tenant, code="certifications", source="manual", default_target=D("4"))
    revenue = Kpi.objects.for_tenant(tenant).get(code="revenue")
    for n in range(count):
        partner = scored(tenant, region=("North", "South")[n % 2], computed_tier="ABCD"[n % 4])
        SaleFactory(tenant=tenant, partner=partner, amount=100 * (n + 1), date=IN_Q2)
        SaleFactory(tenant=tenant, partner=partner, amount=120 * (n + 1), date=IN_Q3)
        TargetFactory(tenant=tenant, partner=partner, kpi=revenue, period=PERIOD, value=D("5000"))
        deal(tenant, partner, "won" if n % 2 else "lost")
        ProductRegistrationFactory(tenant=tenant, partner=partner, date=IN_Q3)
        SatisfactionResultFactory(tenant=tenant, partner=partner, score=n % 11, date=IN_Q3)
        ManualValueFactory(tenant=tenant, partner=partner, kpi=certifications, period=PERIOD, value=n % 5)
        ScorecardFactory(tenant=tenant, partner=partner, period="2026-Q2")


def queries_to_compute(tenant, partners) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = compute(tenant)
    assert result["scorecards"] == partners
    return len(captured)


def test_the_query_count_does_not_grow_with_the_partners(tenant, other_tenant):
    # given
    make_partners(tenant, 10)
    make_partners(other_tenant, 200)

    # when
    few = queries_to_compute(tenant, 10)
    many = queries_to_compute(other_tenant, 200)

    # then
    assert few == many


def test_more_partners_only_add_ranges_of_a_fixed_number_of_queries(
    tenant, other_tenant, monkeypatch, settings
):
    # given: 40 partners a range: 40, 80 and 120 partners take one, two and three ranges
    settings.PRM_SCORECARD_CHUNK = 40
    # (the ranks go in one statement over the period once every range is in)
    third = TenantFactory(slug="gamma")
    for each, count in ((tenant, 40), (other_tenant, 80), (third, 120)):
        make_partners(each, count)

    # when
    one, two, three = (
        queries_to_compute(each, count) for each, count in ((tenant, 40), (other_tenant, 80), (third, 120))
    )

    # then: each range adds the same queries (its partners, one per KPI source, previous scores,
    # conversions, targets, one insert of cards, one of lines), never one a partner
    assert three - two == two - one
    assert 0 < two - one < 40


def test_the_query_count_of_a_recompute_does_not_grow_with_the_partners(tenant, other_tenant):
    # given: the period was computed before, so its scorecards are replaced
    make_partners(tenant, 10)
    make_partners(other_tenant, 200)
    compute(tenant)
    compute(other_tenant)

    # when
    few = queries_to_compute(tenant, 10)
    many = queries_to_compute(other_tenant, 200)

    # then
    assert few == many


# --- default KPIs -------------------------------------------------------------------


def test_the_default_kpis_are_created_once(tenant):
    # when
    ensure_default_kpis(tenant)
    ensure_default_kpis(tenant)

    # then
    codes = list(Kpi.objects.for_tenant(tenant).values_list("code", flat=True))
    assert sorted(codes) == sorted(DEFAULT_CODES)
    assert len(codes) == 7


def test_each_tenant_gets_its_own_default_kpis(tenant, other_tenant):
    # when
    ensure_default_kpis(tenant)
    ensure_default_kpis(other_tenant)

    # then
    assert set(Kpi.objects.for_tenant(other_tenant).values_list("code", flat=True)) == DEFAULT_CODES
    assert Kpi.objects.for_tenant(tenant).count() == 7


def test_the_default_kpis_weights_and_targets(tenant):
    # when
    ensure_default_kpis(tenant)

    # then
    rows = {
        k.code: (k.weight, k.default_target, k.dimension, k.direction) for k in Kpi.objects.for_tenant(tenant)
    }
    assert rows["revenue"] == (D("3.00"), None, "performance", "higher")
    assert rows["win_rate"] == (D("1.00"), D("40.00"), "performance", "higher")
    assert rows["satisfaction"] == (D("1.00"), D("30.00"), "engagement", "higher")
    assert rows["training"] == (D("1.00"), D("100.00"), "activation", "higher")


def test_computing_creates_the_default_kpis_once(tenant):
    # given
    scored(tenant)

    # when
    compute(tenant)
    compute(tenant)

    # then
    assert set(Kpi.objects.for_tenant(tenant).values_list("code", flat=True)) == DEFAULT_CODES
    assert Kpi.objects.for_tenant(tenant).count() == 7

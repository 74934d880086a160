"""Loyalty rules: a reward for consecutive periods at a tier or above, for anniversaries of the
partnership and for growth sustained over several periods; each says why on its line, pays once
per partner, rule and period, and a run reads their facts in a fixed number of queries."""

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incentives.forms import RuleForm
from incentives.models import PayoutLine, PointsEntry
from incentives.rules import clean_params
from incentives.rules.describe import describe
from incentives.services.runs import payout_run_compute
from partners.models import Partner
from prm.tenancy.context import tenant_context
from tests.factories import (
    IncentiveRuleFactory,
    PartnerFactory,
    SaleFactory,
    StageChangeFactory,
    TenantFactory,
    TierChangeFactory,
)

pytestmark = pytest.mark.django_db

PERIOD = "2026-Q3"


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


def partner(tenant, tier="B", since="2024-01-15", **fields):
    made = PartnerFactory(tenant=tenant, stage="signed", computed_tier=tier, **fields)
    Partner.objects.for_tenant(tenant).filter(pk=made.pk).update(created_at=at(since))
    return made


def tier_change(p, day, from_tier, to_tier):
    TierChangeFactory(tenant=p.tenant, partner=p, from_tier=from_tier, to_tier=to_tier, changed_at=at(day))


def sell(p, amount, day):
    SaleFactory(tenant=p.tenant, partner=p, amount=D(amount), date=date.fromisoformat(day), currency="EUR")


def rule(tenant, kind, **params):
    return IncentiveRuleFactory(tenant=tenant, kind=kind, name=kind.replace("_", " ").title(), params=params)


def compute(tenant, period=PERIOD):
    with tenant_context(tenant):
        return payout_run_compute(tenant=tenant, period=period)


def lines(run, kind):
    return list(PayoutLine.objects.for_tenant(run.tenant_id).filter(run=run, kind=kind).order_by("id"))


# --- loyalty_tier ---------------------------------------------------------------------


@pytest.fixture
def four_quarters_at_b_or_above(tenant):
    """B from October 2025, A in Q1 2026, B again from April 2026: Q4 2025 to Q3 2026 at B or above."""
    p = partner(tenant)
    tier_change(p, "2025-10-02", "C", "B")
    tier_change(p, "2026-01-10", "B", "A")
    tier_change(p, "2026-04-05", "A", "B")
    return p


def test_four_consecutive_quarters_at_tier_b_or_above_pay_the_bonus_and_say_which(
    tenant, four_quarters_at_b_or_above
):
    rule(tenant, "loyalty_tier", tier="B", periods=4, amount="500")

    (line,) = lines(compute(tenant), "loyalty_tier")

    assert line.partner_id == four_quarters_at_b_or_above.pk
    assert line.amount == D("500.00")
    assert line.explanation == (
        "Loyalty Tier: 4 consecutive periods at tier B or above: 2025-Q4 B, 2026-Q1 A, 2026-Q2 B, 2026-Q3 B"
    )
    assert line.source["periods"] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]


def test_three_quarters_or_a_tier_below_pay_nothing(tenant):
    short = partner(tenant, since="2025-06-01")
    tier_change(short, "2026-01-05", "C", "B")  # Q4 2025 at C: three quarters at B only
    below = partner(tenant, tier="C")
    tier_change(below, "2025-01-05", "", "C")
    rule(tenant, "loyalty_tier", tier="B", periods=4, amount="500")

    assert lines(compute(tenant), "loyalty_tier") == []


def test_a_streak_pays_once_per_completed_block_not_every_period_after(tenant, four_quarters_at_b_or_above):
    rule(tenant, "loyalty_tier", tier="B", periods=4, amount="500")

    compute(tenant)
    compute(tenant)  # recomputed: the draft replaced, not paid again
    q4 = compute(tenant, "2026-Q4")  # the fifth quarter at B: no new block completed

    paid = PayoutLine.objects.for_tenant(tenant).filter(
        partner=four_quarters_at_b_or_above, kind="loyalty_tier"
    )
    assert paid.count() == 1
    assert paid.get().run.period == PERIOD
    assert lines(q4, "loyalty_tier") == []


def test_a_partner_that_existed_only_two_quarters_has_no_streak_of_four(tenant):
    partner(tenant, since="2026-05-01")  # tier B now, no change ever: B since it exists
    rule(tenant, "loyalty_tier", tier="B", periods=2, amount="100")
    rule(tenant, "loyalty_tier", tier="B", periods=4, amount="500")

    (line,) = lines(compute(tenant), "loyalty_tier")

    assert line.amount == D("100.00")
    assert line.explanation.endswith("2026-Q2 B, 2026-Q3 B")


# --- loyalty_years ------------------------------------------------------------------


def test_the_third_anniversary_of_signing_pays_points_in_its_quarter_only(tenant):
    p = partner(tenant, since="2022-01-01")
    StageChangeFactory(
        tenant=tenant, partner=p, from_stage="strategic", to_stage="signed", changed_at=at("2023-08-10")
    )
    rule(tenant, "loyalty_years", years=[1, 3, 5], points="300")

    q3 = compute(tenant)
    q2 = compute(tenant, "2026-Q2")

    (line,) = lines(q3, "loyalty_years")
    assert line.amount == D("0.00")
    assert line.explanation == (
        "Loyalty Years: 300 points: 3 years of partnership (since 2023-08-10, anniversary 2026-08-10)"
    )
    assert PointsEntry.objects.for_tenant(tenant).get(run=q3, partner=p).points == 300
    assert lines(q2, "loyalty_years") == []


def test_without_a_signature_the_partnership_counts_from_the_partner_creation(tenant):
    partner(tenant, since="2025-07-20")
    partner(tenant, since="2024-07-20")  # its 2nd anniversary: not a listed one
    rule(tenant, "loyalty_years", years=[1, 3], amount="250")

    (line,) = lines(compute(tenant), "loyalty_years")

    assert line.amount == D("250.00")
    assert "1 year of partnership (since 2025-07-20" in line.explanation


# --- sustained_growth ---------------------------------------------------------------


def test_two_quarters_each_growing_ten_percent_pay_a_share_of_the_quarter(tenant):
    p = partner(tenant)
    sell(p, "1000", "2026-02-10")
    sell(p, "1200", "2026-05-10")
    sell(p, "1500", "2026-08-10")
    rule(tenant, "sustained_growth", periods=2, growth="10", rate="10")

    (line,) = lines(compute(tenant), "sustained_growth")

    assert line.amount == D("150.00")
    assert line.explanation == (
        "Sustained Growth: 10% of 1 500.00: 2 periods of growth of 10% or more: 2026-Q2 +20.0%, 2026-Q3 +25.0%"
    )
    assert line.source["sales"]  # the quarter's sales it pays a share of


def test_one_quarter_short_of_the_growth_or_growth_from_nothing_pays_nothing(tenant):
    slow = partner(tenant)
    sell(slow, "1000", "2026-02-10")
    sell(slow, "1200", "2026-05-10")
    sell(slow, "1250", "2026-08-10")  # +4.2%
    new = partner(tenant)
    sell(new, "1200", "2026-05-10")
    sell(new, "1500", "2026-08-10")  # nothing in Q1: no growth to measure
    rule(tenant, "sustained_growth", periods=2, growth="10", amount="400")

    assert lines(compute(tenant), "sustained_growth") == []


# --- set-based ------------------------------------------------------------------------


def channel(tenant, count):
    rule(tenant, "loyalty_tier", tier="B", periods=2, amount="100")
    rule(tenant, "loyalty_years", years=[1, 2], points="50")
    rule(tenant, "sustained_growth", periods=2, growth="5", rate="2")
    for n in range(count):
        p = partner(tenant, since="2024-08-01")
        tier_change(p, "2025-12-01", "C", "B")
        for day, amount in (("2026-02-10", 100), ("2026-05-10", 200), ("2026-08-10", 300)):
            sell(p, amount * (n + 1), day)


def queries_to_compute(tenant) -> int:
    with CaptureQueriesContext(connection) as captured:
        run = compute(tenant)
    assert {line.kind for line in PayoutLine.objects.for_tenant(tenant).filter(run=run)} == {
        "loyalty_tier",
        "loyalty_years",
        "sustained_growth",
    }
    return len(captured)


def test_the_query_count_of_a_run_with_loyalty_rules_does_not_grow_with_the_partners(tenant):
    many = TenantFactory(slug="gamma", currency="EUR")
    channel(tenant, 3)
    channel(many, 30)

    assert queries_to_compute(tenant) == queries_to_compute(many)


# --- parameters, words and the form ---------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "params", "bad"),
    [
        ("loyalty_tier", {"tier": "E", "periods": 4, "amount": "5"}, "params.tier"),
        ("loyalty_tier", {"tier": "B", "periods": 1, "amount": "5"}, "params.periods"),
        ("loyalty_tier", {"tier": "B", "periods": 4}, "params.amount"),
        ("loyalty_tier", {"tier": "B", "periods": 4, "amount": "5", "points": "5"}, "params.amount"),
        ("loyalty_years", {"years": [], "amount": "5"}, "params.years"),
        ("loyalty_years", {"years": [1], "rate": "5"}, "params.rate"),
        ("sustained_growth", {"periods": 3, "rate": "5"}, "params.growth"),
    ],
)
def test_bad_loyalty_parameters_are_refused_by_name(kind, params, bad):
    with pytest.raises(ValidationError) as refused:
        clean_params(kind, params)
    assert bad in refused.value.message_dict


def test_loyalty_parameters_are_normalised_and_read_in_words():
    params = clean_params("loyalty_years", {"years": "5, 1, 3", "points": "300"})

    assert params == {"years": [1, 3, 5], "points": "300"}
    assert (
        describe("loyalty_years", params)
        == "300 points at each anniversary of the partnership: 1, 3, 5 years"
    )
    assert describe("loyalty_tier", {"tier": "B", "periods": 4, "amount": "500"}, "EUR").endswith(
        "for each 4 consecutive periods at tier B or above"
    )


def test_the_rule_form_gathers_the_fields_of_the_chosen_loyalty_kind():
    form = RuleForm(
        data={
            "name": "Four good quarters",
            "kind": "loyalty_tier",
            "loyalty_tier": "B",
            "periods": "4",
            "amount": "500",
            "years": "1, 2",
            "growth": "10",
            "active": "on",
        }
    )

    assert form.is_valid(), form.errors
    assert form.rule_fields()["params"] == {"tier": "B", "periods": 4, "amount": "500"}

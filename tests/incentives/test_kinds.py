"""The rule kinds as pure functions over one partner's period facts (no database needed)."""

import uuid
from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from incentives.rules import PartnerFacts, RunContext, evaluate, kinds
from incentives.rules.base import SaleFact
from prm.periods import parse_period

pytestmark = pytest.mark.django_db

CONTEXT = RunContext(period=parse_period("2026-Q3"), currency="EUR")  # 1 July – 30 September 2026
IN_Q3 = date(2026, 8, 15)
BRACKETS = [
    {"from": "0", "to": "10000", "rate": "2"},
    {"from": "10000", "to": "50000", "rate": "5"},
    {"from": "50000", "to": None, "rate": "7"},
]


def rule(kind="commission", params=None, **fields):
    values = {
        "name": "Rule",
        "kind": kind,
        "params": params if params is not None else {"rate": "5"},
        "tiers": [],
        "stages": [],
        "regions": [],
        "products": [],
        "valid_from": None,
        "valid_to": None,
        "active": True,
        "version": 1,
        "key": MDF_KEY,
    }
    return SimpleNamespace(**{**values, **fields})


_ids = iter(range(1, 10_000))


def sale(amount, *, day=IN_Q3, product="RX-200", quantity="1", currency="EUR", rate="1", customer="Contoso"):
    n = next(_ids)
    return SaleFact(
        id=n,
        external_id=f"S-{n}",
        date=day,
        product=product,
        quantity=D(quantity),
        amount=D(amount),
        currency=currency,
        rate=D(rate),
        customer=customer,
    )


def facts(*sales, **fields):
    values = {"partner_id": 1, "name": "Nordwind", "stage": "signed", "tier": "B", "region": "North"}
    return PartnerFacts(**{**values, **fields}, sales=list(sales))


def one(drafts):
    assert len(drafts) == 1, drafts
    return drafts[0]


# --- commission: flat ---------------------------------------------------------------


def test_a_flat_commission_is_the_rate_of_the_periods_volume():
    # given
    partner = facts(sale("10000"), sale("2400"))

    # when
    draft = one(evaluate(rule(params={"rate": "5"}), partner, CONTEXT))

    # then: 5% of 12 400 = 620
    assert draft.amount == D("620")
    assert "5% of 12 400.00" in draft.explanation


def test_a_flat_commission_names_its_sales_and_volume_in_the_source():
    # given
    first, second = sale("10000"), sale("2400")

    # when
    draft = one(kinds.commission(rule(params={"rate": "5"}), facts(first, second), CONTEXT))

    # then
    assert draft.source["sales"] == [first.id, second.id]
    assert draft.source["external_ids"] == [first.external_id, second.external_id]
    assert D(draft.source["volume"]) == D("12400")
    assert draft.source["rates"] == {}


def test_a_commission_without_sales_pays_nothing():
    # when / then
    assert evaluate(rule(params={"rate": "5"}), facts(), CONTEXT) == []


def test_a_commission_counts_only_the_rules_products():
    # given
    partner = facts(sale("10000", product="RX-200"), sale("4000", product="Gripper"))

    # when
    draft = one(evaluate(rule(params={"rate": "5"}, products=["Gripper"]), partner, CONTEXT))

    # then: 5% of 4 000
    assert draft.amount == D("200")


# --- commission: brackets -----------------------------------------------------------


@pytest.mark.parametrize(
    ("volume", "expected"),
    [
        ("10000", D("200")),  # 2% of 10 000
        ("10000.01", D("200.0005")),  # + 5% of 0.01
        ("50000", D("2200")),  # 200 + 5% of 40 000
        ("60000", D("2900")),  # 200 + 2 000 + 7% of 10 000
    ],
)
def test_marginal_brackets_pay_each_rate_on_the_part_inside_its_bracket(volume, expected):
    # given
    marginal = rule(params={"brackets": BRACKETS, "mode": "marginal"})

    # when
    draft = one(evaluate(marginal, facts(sale(volume)), CONTEXT))

    # then
    assert draft.amount == expected


def test_marginal_brackets_explain_each_bracket():
    # given
    marginal = rule(params={"brackets": BRACKETS, "mode": "marginal"})

    # when
    draft = one(evaluate(marginal, facts(sale("60000")), CONTEXT))

    # then
    assert draft.explanation == (
        "2% of 10 000.00 in bracket 0.00–10 000.00; "
        "5% of 40 000.00 in bracket 10 000.00–50 000.00; "
        "7% of 10 000.00 in bracket 50 000.00–∞"
    )


@pytest.mark.parametrize(
    ("volume", "expected"),
    [
        ("9999.99", D("199.9998")),  # 2% of all of it
        ("10000", D("500")),  # 10 000 reaches the second bracket's "from": 5% of all of it
        ("50000", D("3500")),  # 7% of 50 000
    ],
)
def test_retroactive_brackets_pay_the_reached_rate_on_everything(volume, expected):
    # given
    retroactive = rule(params={"brackets": BRACKETS, "mode": "retroactive"})

    # when
    draft = one(evaluate(retroactive, facts(sale(volume)), CONTEXT))

    # then
    assert draft.amount == expected


def test_retroactive_brackets_explain_the_bracket_reached():
    # given
    retroactive = rule(params={"brackets": BRACKETS, "mode": "retroactive"})

    # when
    draft = one(evaluate(retroactive, facts(sale("12000")), CONTEXT))

    # then: 5% of 12 000 = 600
    assert draft.amount == D("600")
    assert draft.explanation == "5% of 12 000.00 (bracket 10 000.00–50 000.00 reached, on all of it)"


def test_a_tier_multiplier_applies_to_the_partners_tier_only():
    # given
    params = {"rate": "5", "tier_multipliers": {"A": "1.2"}}
    sales = [sale("12400")]

    # when
    tier_a = one(evaluate(rule(params=params), facts(*sales, tier="A"), CONTEXT))
    tier_b = one(evaluate(rule(params=params), facts(*sales, tier="B"), CONTEXT))

    # then: 620 × 1.2 = 744 for A; B keeps 620
    assert tier_a.amount == D("744")
    assert "× 1.2 for tier A" in tier_a.explanation
    assert tier_b.amount == D("620")
    assert "tier" not in tier_b.explanation


def test_the_cap_applies_after_the_tier_multiplier():
    # given: 620 is under the cap, 620 × 1.2 = 744 is over it
    params = {"rate": "5", "tier_multipliers": {"A": "1.2"}, "cap": "700"}

    # when
    draft = one(evaluate(rule(params=params), facts(sale("12400"), tier="A"), CONTEXT))

    # then
    assert draft.amount == D("700")
    assert draft.explanation.endswith("capped at 700.00")


def test_a_commission_under_its_cap_is_not_capped():
    # when
    draft = one(evaluate(rule(params={"rate": "5", "cap": "700"}), facts(sale("12400")), CONTEXT))

    # then
    assert draft.amount == D("620")
    assert "capped" not in draft.explanation


# --- returns --------------------------------------------------------------------------


def test_a_return_reduces_the_periods_volume():
    # given: 12 000 sold, 2 000 returned
    partner = facts(sale("12000"), sale("-2000"))

    # when
    flat = one(evaluate(rule(params={"rate": "5"}), partner, CONTEXT))
    marginal = one(evaluate(rule(params={"brackets": BRACKETS, "mode": "marginal"}), partner, CONTEXT))

    # then: the net 10 000 counts: 5% = 500; 2% of 10 000 = 200 (not 200 + 5% of 2 000)
    assert flat.amount == D("500")
    assert marginal.amount == D("200")


@pytest.mark.parametrize("mode", ["marginal", "retroactive"])
def test_a_period_of_only_returns_claws_back_at_the_first_brackets_rate(mode):
    # given
    partner = facts(sale("-3000"))

    # when
    draft = one(evaluate(rule(params={"brackets": BRACKETS, "mode": mode}), partner, CONTEXT))

    # then: 2% of −3 000
    assert draft.amount == D("-60")
    assert "returns claw back" in draft.explanation


# --- rebate --------------------------------------------------------------------------


def test_a_rebate_below_its_threshold_pays_nothing():
    # given
    rebate = rule("rebate", {"threshold": "50000", "rate": "3"})

    # when / then
    assert evaluate(rebate, facts(sale("30000"), sale("19999.99")), CONTEXT) == []


def test_a_rebate_at_its_threshold_pays_the_rate_back_to_the_first_unit():
    # given
    rebate = rule("rebate", {"threshold": "50000", "rate": "3"})
    first, second = sale("30000"), sale("20000")

    # when
    draft = one(evaluate(rebate, facts(first, second), CONTEXT))

    # then: 3% of all 50 000
    assert draft.amount == D("1500")
    assert draft.source["sales"] == [first.id, second.id]
    assert "threshold 50 000.00 crossed" in draft.explanation


# --- spif ----------------------------------------------------------------------------


def spif_rule():
    return rule(
        "spif",
        {"product": "RX-200", "amount_per_unit": "50"},
        valid_from=date(2026, 8, 1),
        valid_to=date(2026, 8, 31),
    )


def test_a_spif_pays_per_unit_of_its_product_inside_its_window():
    # given
    inside = sale("6000", quantity="6", day=date(2026, 8, 10))
    partner = facts(
        inside,
        sale("9000", quantity="9", day=date(2026, 7, 31)),  # before the window
        sale("5000", quantity="5", day=date(2026, 9, 1)),  # after it
        sale("8000", quantity="8", product="Gripper", day=date(2026, 8, 10)),  # another product
    )

    # when
    draft = one(evaluate(spif_rule(), partner, CONTEXT))

    # then: 6 × 50
    assert draft.amount == D("300")
    assert draft.source["sales"] == [inside.id]
    assert draft.explanation == "6 × 50.00 for RX-200"


def test_a_round_number_of_units_reads_as_a_number_not_an_exponent():
    # given: 90 units in one sale (Decimal("90").normalize() is 9E+1)
    partner = facts(sale("90000", quantity="90", day=date(2026, 8, 10)))

    # when
    draft = one(evaluate(spif_rule(), partner, CONTEXT))

    # then
    assert draft.explanation == "90 × 50.00 for RX-200"


def test_a_returned_unit_is_taken_off_the_spif():
    # given: 6 sold, 2 returned (the return is a negative amount)
    partner = facts(
        sale("6000", quantity="6", day=date(2026, 8, 10)),
        sale("-2000", quantity="2", day=date(2026, 8, 20)),
    )

    # when
    draft = one(evaluate(spif_rule(), partner, CONTEXT))

    # then: 4 × 50
    assert draft.amount == D("200")
    assert D(draft.source["units"]) == D("4")


def test_a_return_booked_with_a_negative_quantity_is_taken_off_the_spif_too():
    # given
    partner = facts(
        sale("6000", quantity="6", day=date(2026, 8, 10)),
        sale("-2000", quantity="-2", day=date(2026, 8, 20)),
    )

    # when
    draft = one(evaluate(spif_rule(), partner, CONTEXT))

    # then: 4 × 50, not 8 × 50
    assert draft.amount == D("200")


# --- bonus ---------------------------------------------------------------------------


def scorecard(score="72.50", **lines):
    return {"id": 7, "revision": 2, "score": D(score), "lines": {k: D(v) for k, v in lines.items()}}


@pytest.mark.parametrize(("score", "paid"), [("69.99", False), ("70.00", True), ("88.00", True)])
def test_a_score_bonus_pays_from_the_threshold_on(score, paid):
    # given
    bonus = rule("bonus", {"type": "score", "amount": "500", "threshold": "70"})

    # when
    drafts = evaluate(bonus, facts(scorecard=scorecard(score)), CONTEXT)

    # then: the line keeps the card, its revision and the score it paid on
    paid_on = {"scorecard": 7, "revision": 2, "score": score}
    assert [(d.amount, d.source) for d in drafts] == ([(D("500"), paid_on)] if paid else [])


def test_a_score_bonus_without_a_scorecard_pays_nothing():
    # given
    bonus = rule("bonus", {"type": "score", "amount": "500", "threshold": "70"})

    # when / then
    assert evaluate(bonus, facts(), CONTEXT) == []


def test_an_attainment_bonus_compares_the_ratio_with_a_percent_threshold():
    # given: 1.15 of the revenue target is 115%
    bonus = rule("bonus", {"type": "attainment", "amount": "300", "threshold": "100", "kpi": "revenue"})

    # when
    draft = one(evaluate(bonus, facts(scorecard=scorecard(revenue="1.15")), CONTEXT))

    # then
    assert draft.amount == D("300")
    assert draft.explanation == "revenue attainment 115.0% ≥ 100%"
    assert draft.source == {"scorecard": 7, "revision": 2, "kpi": "revenue", "attainment": "1.15"}


@pytest.mark.parametrize("attained", ["0.99", "0.9999"])
def test_an_attainment_below_the_threshold_pays_nothing(attained):
    # given
    bonus = rule("bonus", {"type": "attainment", "amount": "300", "threshold": "100", "kpi": "revenue"})

    # when / then
    assert evaluate(bonus, facts(scorecard=scorecard(revenue=attained)), CONTEXT) == []


def test_an_attainment_bonus_reads_its_own_kpi():
    # given: revenue is above, win_rate below the threshold
    bonus = rule("bonus", {"type": "attainment", "amount": "300", "threshold": "100", "kpi": "win_rate"})

    # when / then
    assert evaluate(bonus, facts(scorecard=scorecard(revenue="1.5", win_rate="0.8")), CONTEXT) == []


def test_a_first_sale_bonus_pays_once_the_first_sale_falls_in_the_period():
    # given
    bonus = rule("bonus", {"type": "first_sale", "amount": "250"})
    first = sale("1000")

    # when
    paid = evaluate(bonus, facts(first, sale("500"), first_sale_in_period=True), CONTEXT)
    unpaid = evaluate(bonus, facts(sale("1000"), first_sale_in_period=False), CONTEXT)

    # then
    assert [(d.amount, d.source) for d in paid] == [(D("250"), {"sales": [first.id]})]
    assert unpaid == []


def test_a_certification_bonus_pays_in_the_period_of_certification():
    # given
    bonus = rule("bonus", {"type": "certification", "amount": "1000"})

    # when
    paid = evaluate(bonus, facts(certified_in_period=True), CONTEXT)
    unpaid = evaluate(bonus, facts(certified_in_period=False), CONTEXT)

    # then
    assert [d.amount for d in paid] == [D("1000")]
    assert unpaid == []


def test_a_strategic_deal_bonus_matches_the_normalised_customer_name():
    # given: "ACME Robotics, S.A." normalises to "acme robotics"
    bonus = rule("bonus", {"type": "strategic_deal", "amount": "2500", "customer": "ACME Robotics, S.A."})
    won = [
        {"id": 3, "customer": "Acme Robotics SA", "customer_key": "acme robotics", "amount": D("90000")},
        {"id": 4, "customer": "Contoso", "customer_key": "contoso", "amount": D("5000")},
    ]

    # when
    draft = one(evaluate(bonus, facts(won_deals=won), CONTEXT))

    # then
    assert draft.amount == D("2500")
    assert draft.source == {"deals": [3]}
    assert draft.explanation == "won the strategic deal with ACME Robotics, S.A."


def test_a_strategic_deal_bonus_needs_that_customer():
    # given
    bonus = rule("bonus", {"type": "strategic_deal", "amount": "2500", "customer": "Acme Robotics"})
    won = [{"id": 4, "customer": "Acme Robotics Nordic", "customer_key": "acme robotics nordic", "amount": 1}]

    # when / then
    assert evaluate(bonus, facts(won_deals=won), CONTEXT) == []


# --- mdf -----------------------------------------------------------------------------


MDF_KEY = uuid.UUID(int=7)  # the MDF rule's key, across its versions


def claims(*amounts, key=MDF_KEY):
    return [{"id": n, "amount": D(a), "request": 10, "rule": key} for n, a in enumerate(amounts, start=1)]


def test_a_fixed_mdf_budget_caps_the_sum_of_approved_claims():
    # given
    mdf = rule("mdf", {"budget": "5000"})

    # when
    drafts = evaluate(mdf, facts(approved_claims=claims("3000", "4000", "1000")), CONTEXT)

    # then: 3 000 in full, 2 000 of the 4 000, nothing left for the third
    assert [d.amount for d in drafts] == [D("3000"), D("2000")]
    assert [d.source["claim"] for d in drafts] == [1, 2]
    assert drafts[1].source == {"claim": 2, "request": 10, "budget": "5000", "period": "2026-Q3"}
    assert drafts[1].explanation == "MDF claim #2: 2 000.00 of 4 000.00 (fixed budget 5 000.00)"


def test_an_mdf_budget_share_is_a_share_of_last_periods_revenue():
    # given: 5% of 80 000 = 4 000
    mdf = rule("mdf", {"budget_share": "5"})
    partner = facts(approved_claims=claims("3000", "4000"), last_period_revenue=D("80000"))

    # when
    drafts = evaluate(mdf, partner, CONTEXT)

    # then
    assert [d.amount for d in drafts] == [D("3000"), D("1000")]
    assert D(drafts[0].source["budget"]) == D("4000")


def test_mdf_without_approved_claims_pays_nothing():
    # when / then
    assert evaluate(rule("mdf", {"budget": "5000"}), facts(), CONTEXT) == []


def test_an_mdf_rule_pays_only_the_claims_made_under_it():
    # given: one claim under this MDF rule, one under another MDF rule of the programme
    mdf = rule("mdf", {"budget": "5000"})
    partner = facts(approved_claims=[*claims("3000"), *claims("1000", key=uuid.UUID(int=8))])

    # when
    drafts = evaluate(mdf, partner, CONTEXT)

    # then: the other rule's claim is the other rule's to pay (from its own budget)
    assert [(d.amount, d.source["claim"]) for d in drafts] == [(D("3000"), 1)]


# --- points --------------------------------------------------------------------------


def test_points_are_earned_per_whole_step_of_volume_and_pay_no_money():
    # given: 12 400 holds 12 whole steps of 1 000
    points = rule("points", {"per_amount": "1000", "points": "10"})

    # when
    draft = one(evaluate(points, facts(sale("10000"), sale("2400")), CONTEXT))

    # then
    assert draft.points == 120
    assert draft.amount == D("0")
    assert draft.source["points"] == 120


def test_less_than_one_step_earns_no_points():
    # given
    points = rule("points", {"per_amount": "1000", "points": "10"})

    # when / then
    assert evaluate(points, facts(sale("999.99")), CONTEXT) == []


# --- eligibility ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "kept_out"),
    [
        ({"tiers": ["A"]}, True),
        ({"tiers": ["A", "B"]}, False),
        ({"stages": ["certified"]}, True),
        ({"stages": ["signed", "certified"]}, False),
        ({"regions": ["South"]}, True),
        ({"regions": ["North"]}, False),
        ({"valid_to": date(2026, 6, 30)}, True),  # ended before the period
        ({"valid_to": date(2026, 7, 1)}, False),
        ({"valid_from": date(2026, 10, 1)}, True),  # starts after the period
        ({"valid_from": date(2026, 9, 30)}, False),
        ({"active": False}, True),
    ],
)
def test_eligibility_keeps_a_partner_out(fields, kept_out):
    # given: a tier B, signed partner in the North with a sale on the 30 September
    partner = facts(sale("1000", day=date(2026, 9, 30)), sale("1000", day=date(2026, 7, 1)))

    # when
    drafts = evaluate(rule(params={"rate": "5"}, **fields), partner, CONTEXT)

    # then
    assert (drafts == []) is kept_out
    if not kept_out:
        assert len(drafts) == 1


def test_a_rule_window_inside_the_period_counts_only_the_sales_inside_it():
    # given
    partner = facts(sale("1000", day=date(2026, 7, 15)), sale("3000", day=date(2026, 8, 15)))
    windowed = rule(params={"rate": "5"}, valid_from=date(2026, 8, 1), valid_to=date(2026, 8, 31))

    # when
    draft = one(evaluate(windowed, partner, CONTEXT))

    # then: 5% of 3 000
    assert draft.amount == D("150")


# --- currency ------------------------------------------------------------------------


def test_a_foreign_sale_counts_at_its_rate_and_the_rate_is_in_the_source():
    # given: 1 000 USD at 0.9 is 900 EUR
    partner = facts(
        sale("1000", currency="USD", rate="0.9", day=date(2026, 8, 3)),
        sale("2000", day=date(2026, 8, 4)),
    )

    # when
    draft = one(evaluate(rule(params={"rate": "5"}), partner, CONTEXT))

    # then: 5% of 2 900
    assert D(draft.source["volume"]) == D("2900")
    assert draft.amount == D("145")
    assert draft.source["rates"] == {"USD@2026-08-03": "0.9"}


# --- reading the tier's benefits ---------------------------------------------------------


def test_a_commission_may_pay_the_tiers_margin_points():
    margin = rule("commission", {"rate_benefit": "margin_points"})
    gold = facts(sale("10000"), tier="A", benefits={"margin_points": D("4")})
    plain = facts(sale("10000"), tier="C", benefits={})

    paid = evaluate(margin, gold, CONTEXT)

    assert [d.amount for d in paid] == [D("400")]
    assert paid[0].explanation == "4% of 10 000.00 (tier A's margin points)"
    assert evaluate(margin, plain, CONTEXT) == []


def test_an_mdf_budget_may_be_the_tiers_mdf_share():
    mdf = rule("mdf", {"budget_share_benefit": True})
    partner = facts(
        approved_claims=claims("3000"),
        last_period_revenue=D("50000"),
        tier="B",
        benefits={"mdf_share": D("2")},
    )

    drafts = evaluate(mdf, partner, CONTEXT)

    # 2% of 50 000 = 1 000 of the 3 000 claimed
    assert [d.amount for d in drafts] == [D("1000")]
    assert "tier B's MDF share" in drafts[0].explanation

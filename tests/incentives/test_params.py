"""Validating an incentive rule's parameters per kind: errors name the parameter (``params.<name>``)."""

import pytest
from django.core.exceptions import ValidationError

from incentives.rules import clean_params

pytestmark = pytest.mark.django_db

BRACKETS = [
    {"from": "0", "to": "10000", "rate": "2"},
    {"from": "10000", "to": "50000", "rate": "5"},
    {"from": "50000", "to": None, "rate": "7"},
]


def errors_of(kind, params) -> dict:
    with pytest.raises(ValidationError) as caught:
        clean_params(kind, params)
    return caught.value.message_dict


# --- commission -----------------------------------------------------------------------


def test_a_flat_commission_is_kept_as_a_decimal_string():
    # when
    clean = clean_params("commission", {"rate": "5.0"})

    # then
    assert clean == {"rate": "5.0", "tier_multipliers": {}}


def test_a_commission_without_a_rate_names_params_rate():
    # when
    errors = errors_of("commission", {})

    # then
    assert errors == {"params.rate": ["Required."]}


@pytest.mark.parametrize("rate", ["100.01", "-1"])
def test_a_commission_rate_outside_0_to_100_is_refused(rate):
    # when
    errors = errors_of("commission", {"rate": rate})

    # then
    assert errors == {"params.rate": ["Out of range."]}


def test_a_commission_rate_of_exactly_100_is_allowed():
    # when
    clean = clean_params("commission", {"rate": "100"})

    # then
    assert clean["rate"] == "100"


def test_a_rate_that_is_not_a_number_asks_for_a_number_string():
    # when
    errors = errors_of("commission", {"rate": "five"})

    # then
    assert errors == {"params.rate": ['Use a number as a string, like "5.0".']}


def test_brackets_that_follow_each_other_from_zero_are_kept_with_their_mode():
    # when
    clean = clean_params("commission", {"brackets": BRACKETS, "mode": "retroactive", "cap": "9000"})

    # then
    assert clean == {
        "brackets": [
            {"from": "0", "to": "10000", "rate": "2"},
            {"from": "10000", "to": "50000", "rate": "5"},
            {"from": "50000", "to": None, "rate": "7"},
        ],
        "mode": "retroactive",
        "cap": "9000",
        "tier_multipliers": {},
    }


def test_brackets_default_to_the_marginal_mode():
    # when
    clean = clean_params("commission", {"brackets": BRACKETS})

    # then
    assert clean["mode"] == "marginal"


def test_a_gap_between_brackets_names_the_bracket_after_the_gap():
    # given: 10 000–20 000 is missing
    brackets = [
        {"from": "0", "to": "10000", "rate": "2"},
        {"from": "20000", "to": None, "rate": "5"},
    ]

    # when
    errors = errors_of("commission", {"brackets": brackets})

    # then
    assert errors == {"params.brackets.2": ["Brackets must follow each other from 0 without gaps."]}


def test_brackets_that_do_not_start_at_zero_name_the_first_bracket():
    # given
    brackets = [{"from": "100", "to": "10000", "rate": "2"}, {"from": "10000", "to": None, "rate": "5"}]

    # when
    errors = errors_of("commission", {"brackets": brackets})

    # then
    assert errors == {"params.brackets.1": ["Brackets must follow each other from 0 without gaps."]}


@pytest.mark.parametrize("high", ["10000", "5000"])
def test_a_bracket_whose_to_is_not_above_its_from_is_refused(high):
    # given
    brackets = [
        {"from": "0", "to": "10000", "rate": "2"},
        {"from": "10000", "to": high, "rate": "5"},
        {"from": high, "to": None, "rate": "7"},
    ]

    # when
    errors = errors_of("commission", {"brackets": brackets})

    # then
    assert errors["params.brackets.2"] == ["“to” must be above “from”."]


def test_only_the_last_bracket_may_be_open_ended():
    # given
    brackets = [{"from": "0", "to": None, "rate": "2"}, {"from": "10000", "to": None, "rate": "5"}]

    # when
    errors = errors_of("commission", {"brackets": brackets})

    # then: the first bracket's "to" is required, and the second no longer follows it
    assert ["Required."] in errors.values()
    assert errors["params.brackets.2"] == ["Brackets must follow each other from 0 without gaps."]


@pytest.mark.parametrize("brackets", [[], "0-10000@2", None])
def test_brackets_must_be_a_non_empty_list(brackets):
    # when
    errors = errors_of("commission", {"brackets": brackets})

    # then
    assert errors == {"params.brackets": ["Give at least one bracket {from, to, rate}."]}


def test_a_bracket_rate_above_100_names_the_bracket():
    # given
    brackets = [{"from": "0", "to": "10000", "rate": "2"}, {"from": "10000", "to": None, "rate": "150"}]

    # when
    errors = errors_of("commission", {"brackets": brackets})

    # then
    assert "params.rate" not in errors
    assert errors == {"params.brackets.2.rate": ["Out of range."]}


def test_an_unknown_bracket_mode_names_params_mode():
    # when
    errors = errors_of("commission", {"brackets": BRACKETS, "mode": "progressive"})

    # then
    assert errors == {"params.mode": ["Use marginal or retroactive."]}


def test_tier_multipliers_for_known_tiers_are_kept():
    # when
    clean = clean_params("commission", {"rate": "5", "tier_multipliers": {"A": "1.2", "D": "0.8"}})

    # then
    assert clean["tier_multipliers"] == {"A": "1.2", "D": "0.8"}


@pytest.mark.parametrize("multipliers", [{"E": "1.2"}, {"A": "1.2", "gold": "2"}, ["A", "1.2"]])
def test_tier_multipliers_for_an_unknown_tier_are_refused(multipliers):
    # when
    errors = errors_of("commission", {"rate": "5", "tier_multipliers": multipliers})

    # then
    assert errors == {"params.tier_multipliers": ["Map tiers A–D to multipliers."]}


def test_a_negative_cap_is_refused():
    # when
    errors = errors_of("commission", {"rate": "5", "cap": "-10"})

    # then
    assert errors == {"params.cap": ["Out of range."]}


# --- the other kinds ----------------------------------------------------------------


def test_mdf_with_both_a_budget_and_a_budget_share_is_refused():
    # when
    errors = errors_of("mdf", {"budget": "5000", "budget_share": "2"})

    # then
    assert errors == {"params.budget": ["Give a fixed budget or a share of last period's revenue, not both."]}


def test_mdf_takes_a_fixed_budget_or_a_share():
    # when / then
    assert clean_params("mdf", {"budget": "5000"}) == {"budget": "5000"}
    assert clean_params("mdf", {"budget_share": "2.5"}) == {"budget_share": "2.5"}


def test_mdf_without_a_budget_asks_for_the_share():
    # when
    errors = errors_of("mdf", {})

    # then
    assert errors == {"params.budget_share": ["Required."]}


def test_mdf_budget_share_above_100_is_refused():
    # when
    errors = errors_of("mdf", {"budget_share": "101"})

    # then
    assert errors == {"params.budget_share": ["Out of range."]}


def test_a_bonus_of_an_unknown_type_names_params_type():
    # when
    errors = errors_of("bonus", {"type": "loyalty", "amount": "500"})

    # then
    assert list(errors) == ["params.type"]
    assert "strategic_deal" in errors["params.type"][0]


def test_a_strategic_deal_bonus_without_a_customer_is_refused():
    # when
    errors = errors_of("bonus", {"type": "strategic_deal", "amount": "2500", "customer": "  "})

    # then
    assert errors == {"params.customer": ["Name the strategic customer."]}


def test_a_strategic_deal_bonus_keeps_the_customer():
    # when
    clean = clean_params("bonus", {"type": "strategic_deal", "amount": "2500", "customer": " Acme SA "})

    # then
    assert clean == {"type": "strategic_deal", "amount": "2500", "customer": "Acme SA"}


def test_a_score_bonus_needs_a_threshold_and_an_amount():
    # when
    errors = errors_of("bonus", {"type": "score"})

    # then
    assert errors == {"params.amount": ["Required."], "params.threshold": ["Required."]}


def test_an_attainment_bonus_defaults_to_the_revenue_kpi():
    # when
    clean = clean_params("bonus", {"type": "attainment", "amount": "300", "threshold": "100"})

    # then
    assert clean == {"type": "attainment", "amount": "300", "threshold": "100", "kpi": "revenue"}


def test_a_spif_without_a_product_is_refused():
    # when
    errors = errors_of("spif", {"amount_per_unit": "50"})

    # then
    assert errors == {"params.product": ["Name the product."]}


def test_a_rebate_needs_a_threshold_and_a_rate_up_to_100():
    # when
    errors = errors_of("rebate", {"rate": "120"})

    # then
    assert errors == {"params.threshold": ["Required."], "params.rate": ["Out of range."]}


def test_points_per_amount_must_be_positive():
    # when
    errors = errors_of("points", {"per_amount": "0", "points": "10"})

    # then
    assert errors == {"params.per_amount": ["Out of range."]}


def test_an_unknown_kind_is_refused():
    # when
    with pytest.raises(ValidationError) as caught:
        clean_params("lottery", {})

    # then
    assert caught.value.message_dict == {"kind": ["Unknown kind."]}


def test_params_must_be_an_object():
    # when
    with pytest.raises(ValidationError) as caught:
        clean_params("commission", ["rate", "5"])

    # then
    assert caught.value.message_dict == {"params": ["Give the parameters as an object."]}

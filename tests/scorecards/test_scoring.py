"""Scoring as pure functions: attainment, points, the weighted score, balance and ranks."""

from decimal import Decimal as D

import pytest

from scorecards.scoring import (
    attainment,
    competition_ranks,
    is_balanced,
    points,
    round_score,
    weighted_score,
)

# --- attainment -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (D("120"), D("100"), D("1.2")),
        (D("50"), D("200"), D("0.25")),
        (D("0"), D("100"), D("0")),
        (D("100"), D("100"), D("1")),
    ],
)
def test_higher_is_better_attainment_is_actual_over_target(actual, target, expected):
    assert attainment(actual, target, "higher") == expected


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (D("5"), D("10"), D("2")),
        (D("20"), D("10"), D("0.5")),
        (D("10"), D("10"), D("1")),
    ],
)
def test_lower_is_better_attainment_is_target_over_actual(actual, target, expected):
    assert attainment(actual, target, "lower") == expected


def test_lower_is_better_with_nothing_at_all_beats_any_target_by_half():
    assert attainment(D("0"), D("10"), "lower") == D("1.5")


@pytest.mark.parametrize(("actual", "expected"), [(D("0"), D("1")), (D("7"), D("1")), (D("-3"), D("0"))])
def test_a_zero_target_is_met_by_anything_not_negative(actual, expected):
    assert attainment(actual, D("0"), "higher") == expected


@pytest.mark.parametrize("direction", ["higher", "lower"])
@pytest.mark.parametrize(("actual", "target"), [(None, D("10")), (D("10"), None), (None, None)])
def test_no_actual_or_no_target_means_no_attainment(actual, target, direction):
    assert attainment(actual, target, direction) is None


# --- points ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "attained", "expected"),
    [
        (D("3"), D("0.5"), D("1.5")),
        (D("3"), D("1.2"), D("3")),  # beating the target earns no more than the weight
        (D("2"), D("1"), D("2")),
        (D("2"), D("-0.4"), D("0")),  # a shrinking business earns nothing, not less than nothing
        (D("2"), D("0"), D("0")),
    ],
)
def test_points_are_weight_times_attainment_held_between_0_and_1(weight, attained, expected):
    assert points(weight, attained) == expected


def test_the_programmes_cap_lets_beating_a_target_count_up_to_it():
    assert points(D("3"), D("1.5"), cap=D("1.2")) == D("3.6")
    assert points(D("3"), D("1.1"), cap=D("1.2")) == D("3.3")


def test_the_programmes_spread_decides_the_balance():
    dimensions = {"activation": 70, "performance": 85}
    assert is_balanced(dimensions, spread=10) is False
    assert is_balanced(dimensions, spread=15) is True


def test_no_attainment_earns_no_points():
    assert points(D("3"), None) is None


# --- the weighted score ---------------------------------------------------------------


def test_the_score_is_weighted_over_the_measured_lines_only():
    # given: weights 3, 1, 1 with attainments 1.2, 0.5 and unmeasured
    lines = [(D("3"), points(D("3"), D("1.2"))), (D("1"), points(D("1"), D("0.5"))), (D("1"), None)]

    # when
    score = weighted_score(lines)

    # then: 100 × (3 × 1 + 1 × 0.5) / (3 + 1) = 87.5
    assert score == D("87.5")


def test_an_unmeasured_line_does_not_pull_the_score_down():
    # given
    measured = [(D("2"), D("2")), (D("1"), D("0.5"))]

    # when / then: 100 × 2.5 / 3 either way
    assert weighted_score([*measured, (D("5"), None)]) == weighted_score(measured)
    assert round_score(weighted_score(measured)) == D("83.33")


def test_nothing_measured_gives_no_score():
    assert weighted_score([(D("3"), None), (D("1"), None)]) is None
    assert weighted_score([]) is None


def test_only_zero_weights_measured_gives_no_score():
    assert weighted_score([(D("0"), D("0")), (D("1"), None)]) is None


def test_all_targets_missed_entirely_scores_zero():
    assert weighted_score([(D("3"), D("0")), (D("1"), D("0"))]) == D("0")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("66.665"), D("66.67")),
        (D("66.664999"), D("66.66")),
        (D("0.005"), D("0.01")),
        (D("87.5"), D("87.50")),
        (D("100") * 2 / 3, D("66.67")),
    ],
)
def test_the_score_is_rounded_half_up_to_two_places(value, expected):
    rounded = round_score(value)

    assert rounded == expected
    assert rounded.as_tuple().exponent == -2


def test_no_score_stays_no_score_when_rounded():
    assert round_score(None) is None


# --- balance --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dimensions", "expected"),
    [
        ({"activation": 70, "performance": 90, "engagement": 80}, True),  # exactly 20 apart
        ({"activation": 70.0, "performance": 91.0, "engagement": 80.0}, False),  # 21 apart
        ({"activation": D("55.5"), "performance": D("75.49")}, True),
        ({"activation": 10, "performance": None, "engagement": 31}, False),
        ({"activation": 10, "performance": None, "engagement": 30}, True),
    ],
)
def test_balanced_when_the_measured_dimensions_lie_within_20_points(dimensions, expected):
    assert is_balanced(dimensions) is expected


@pytest.mark.parametrize(
    "dimensions",
    [{}, {"activation": 50}, {"activation": None, "performance": 80, "engagement": None}],
)
def test_balance_is_unknown_with_fewer_than_two_measured_dimensions(dimensions):
    assert is_balanced(dimensions) is None


# --- ranks ----------------------------------------------------------------------------


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    # given
    scores = [(11, D("70")), (12, D("90")), (13, D("80")), (14, D("80"))]

    # when
    ranks = competition_ranks(scores)

    # then
    assert ranks == {12: 1, 13: 2, 14: 2, 11: 4}


def test_a_tie_at_the_top_shares_first_place():
    assert competition_ranks([(1, D("50")), (2, D("50")), (3, D("10"))]) == {1: 1, 2: 1, 3: 3}


def test_no_scores_no_ranks():
    assert competition_ranks([]) == {}

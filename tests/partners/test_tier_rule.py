"""A–D tiering as pure functions: percentiles, blending, the tenant's table, the explanation."""

from dataclasses import replace

import pytest

from partners.programme.settings import PartnerProgramme
from partners.tiering.rule import (
    PartnerFacts,
    assessed_score,
    blend,
    decide_tier,
    measured_axes,
    percentile,
    tier_key,
)

AXES = ("competitiveness", "willingness", "autonomy")

# (competitiveness strong, willingness high, autonomy strong) -> key, tier
ALL_COMBINATIONS = [
    # the domain table's four rows
    ((True, True, True), "SHS", "A"),
    ((False, True, True), "WHS", "B"),
    ((True, False, True), "SLS", "C"),
    ((False, False, False), "WLW", "D"),
    # the rest follow the letters: competitiveness decides A/C against B/D, willingness A/B against C/D
    ((True, True, False), "SHW", "A"),
    ((False, True, False), "WHW", "B"),  # weak but willing: B, never C (C means strong competitiveness)
    ((True, False, False), "SLW", "C"),  # strong but unwilling: C, never D (D means weak competitiveness)
    ((False, False, True), "WLS", "D"),
]


@pytest.mark.parametrize(("strong", "key", "tier"), ALL_COMBINATIONS, ids=[c[1] for c in ALL_COMBINATIONS])
def test_tier_key_names_each_axis_answer(strong, key, tier):
    assert tier_key(dict(zip(AXES, strong, strict=True))) == key


@pytest.mark.parametrize(("strong", "key", "tier"), ALL_COMBINATIONS, ids=[c[1] for c in ALL_COMBINATIONS])
def test_decide_tier_follows_the_default_table_for_every_combination(strong, key, tier):
    # given: no measured data, so each axis is the manager's rating alone; 5 -> 100 (strong), 1 -> 0 (weak)
    assessment = {axis: 5 if is_strong else 1 for axis, is_strong in zip(AXES, strong, strict=True)}

    # when
    decided, why = decide_tier(PartnerFacts(), [], [], assessment, PartnerProgramme())

    # then
    assert decided == tier
    assert why["rule"] == key
    assert [why["axes"][axis]["strong"] for axis in AXES] == list(strong)


def test_every_default_letter_keeps_the_competitiveness_and_willingness_it_stands_for():
    # A and C are strong competitors, A and B willing: whatever autonomy says
    for key, tier in PartnerProgramme().tier_table.items():
        assert (tier in "AC") == (key[0] == "S"), key
        assert (tier in "AB") == (key[1] == "H"), key


def test_a_tenants_table_decides_instead_of_the_default():
    # given: this tenant puts a strong, willing partner without autonomy in B
    programme = PartnerProgramme(tier_table={**PartnerProgramme().tier_table, "SHW": "B"})
    assessment = {"competitiveness": 5, "willingness": 5, "autonomy": 1}

    # when
    decided, why = decide_tier(PartnerFacts(), [], [], assessment, programme)

    # then
    assert (decided, why["rule"]) == ("B", "SHW")


def test_the_default_table_covers_all_eight_combinations_once():
    assert sorted(PartnerProgramme().tier_table) == sorted(c[1] for c in ALL_COMBINATIONS)


# --- percentile ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (10, 0.0),  # lowest
        (20, 37.5),  # tied with one other: ranks 1 and 2 of 0..4, mid-rank 1.5 / 4
        (30, 75.0),
        (40, 100.0),  # highest
        (25, 62.5),  # not in the cohort: 3 below, none equal -> (3 + (0 - 1) / 2) / 4
    ],
)
def test_percentile_is_the_mid_rank_with_ties_sharing_it(value, expected):
    assert percentile(value, [10, 20, 20, 30, 40]) == expected


def test_a_whole_cohort_of_equals_sits_in_the_middle():
    assert percentile(7, [7, 7, 7, 7]) == 50.0


def test_percentile_of_a_single_partner_or_an_empty_cohort():
    assert percentile(5, [5]) == 50.0
    assert percentile(5, []) == 0.0


# --- assessed score and blend ----------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "score"), [(1, 0.0), (2, 25.0), (3, 50.0), (4, 75.0), (5, 100.0), (None, None)]
)
def test_a_rating_1_to_5_maps_to_0_to_100(rating, score):
    assert assessed_score(rating) == score


def test_blend_weighs_the_assessment():
    assert blend(80.0, 40.0, 0.25) == pytest.approx(70.0)  # 0.75 * 80 + 0.25 * 40
    assert blend(80.0, 40.0, 0.0) == pytest.approx(80.0)
    assert blend(80.0, 40.0, 1.0) == pytest.approx(40.0)


def test_blend_uses_whichever_part_exists():
    assert blend(None, 75.0, 0.4) == 75.0
    assert blend(60.0, None, 0.4) == 60.0
    assert blend(None, None, 0.4) is None


# --- a full example by hand --------------------------------------------------------


@pytest.fixture
def worked_example():
    """One partner in a cohort of five, with a tier assessment, weight 0.4, thresholds 50.

    competitiveness: revenue 250 in [0, 100, 250, 250, 400] -> 2 below, 2 equal -> (2 + 0.5) / 4 = 62.5
                     won 3, lost 1 -> win rate 0.75 -> measured 0.6 * 62.5 + 0.4 * 75 = 67.5
                     rated 4 -> 75 -> blended 0.6 * 67.5 + 0.4 * 75 = 70.5 -> strong
    willingness:     4 registrations in [0, 1, 4, 4, 4] -> 2 below, 3 equal -> (2 + 1) / 4 = 75
                     visits 4, goal met 2 -> 50 -> measured (75 + 50) / 2 = 62.5
                     rated 2 -> 25 -> blended 0.6 * 62.5 + 0.4 * 25 = 47.5 -> low
    autonomy:        1 of 4 self-sourced -> 25 -> rated 5 -> 100 -> blended 0.6 * 25 + 0.4 * 100 = 55 -> strong
    -> SLS -> C
    """
    facts = PartnerFacts(
        revenue=250.0, registrations=4, won=3, lost=1, self_sourced=1, visits=4, visits_goal_met=2
    )
    cohort_revenue = [0.0, 100.0, 250.0, 250.0, 400.0]
    cohort_registrations = [0.0, 1.0, 4.0, 4.0, 4.0]
    assessment = {"competitiveness": 4, "willingness": 2, "autonomy": 5}
    return facts, cohort_revenue, cohort_registrations, assessment


def test_the_worked_example_gets_tier_c_with_every_score(worked_example):
    # given
    programme = PartnerProgramme(assessment_weight=0.4)

    # when
    tier, why = decide_tier(*worked_example, programme)

    # then
    assert tier == "C"
    assert why["rule"] == "SLS"
    axes = why["axes"]
    assert axes["competitiveness"]["measured"] == pytest.approx(67.5)
    assert axes["competitiveness"]["assessed"] == 75.0
    assert axes["competitiveness"]["score"] == pytest.approx(70.5)
    assert axes["willingness"]["measured"] == pytest.approx(62.5)
    assert axes["willingness"]["assessed"] == 25.0
    assert axes["willingness"]["score"] == pytest.approx(47.5)
    assert axes["autonomy"]["measured"] == pytest.approx(25.0)
    assert axes["autonomy"]["score"] == pytest.approx(55.0)
    assert [axes[a]["strong"] for a in AXES] == [True, False, True]
    assert {axes[a]["threshold"] for a in AXES} == {50.0}


def test_the_worked_example_explains_its_inputs(worked_example):
    # when
    _tier, why = decide_tier(*worked_example, PartnerProgramme())

    # then
    assert why["inputs"] == {
        "revenue": 250.0,
        "revenue_percentile": 62.5,
        "win_rate": 0.75,
        "registrations": 4,
        "registrations_percentile": 75.0,
        "visits": 4,
        "visits_goal_met_rate": 0.5,
        "self_sourced_share": 0.25,
        "willingness": [
            {"input": "registrations", "score": 75.0, "weight": 1.0},
            {"input": "visits", "score": 50.0, "weight": 1.0},
        ],
    }


def test_a_tenants_threshold_and_weight_change_the_tier(worked_example):
    # given: willingness needs only 45, and the assessment counts for nothing
    programme = PartnerProgramme(
        assessment_weight=0.0, thresholds={"competitiveness": 50.0, "willingness": 45.0, "autonomy": 50.0}
    )

    # when: measured only -> competitiveness 67.5 strong, willingness 62.5 high, autonomy 25 weak
    tier, why = decide_tier(*worked_example, programme)

    # then
    assert why["rule"] == "SHW"
    assert tier == "A"  # strong and willing: A (autonomy does not change the default letter)
    assert why["axes"]["willingness"]["threshold"] == 45.0


def test_the_programmes_revenue_weight_sets_the_mix_of_competitiveness(worked_example):
    # given: revenue counts 0.2, the win rate 0.8 -> measured 0.2 * 62.5 + 0.8 * 75 = 72.5
    programme = PartnerProgramme(assessment_weight=0.0, revenue_weight=0.2)

    # when
    _tier, why = decide_tier(*worked_example, programme)

    # then
    assert why["axes"]["competitiveness"]["measured"] == pytest.approx(72.5)


def test_a_tenants_table_maps_a_combination_to_another_tier(worked_example):
    programme = PartnerProgramme(tier_table={**PartnerProgramme().tier_table, "SLS": "B"})

    tier, _why = decide_tier(*worked_example, programme)

    assert tier == "B"


def test_a_score_exactly_on_the_threshold_is_strong():
    # given: rating 3 -> 50, the default threshold
    _tier, why = decide_tier(PartnerFacts(), [], [], {"competitiveness": 3}, PartnerProgramme())

    assert why["axes"]["competitiveness"]["score"] == 50.0
    assert why["axes"]["competitiveness"]["strong"] is True


def test_an_axis_with_no_data_and_no_rating_is_weak_with_no_score():
    # given: nothing measured, nothing rated
    tier, why = decide_tier(PartnerFacts(), [0.0, 0.0], [0.0, 0.0], None, PartnerProgramme())

    # then
    assert tier == "D"
    assert all(why["axes"][a]["score"] is None and why["axes"][a]["strong"] is False for a in AXES)
    assert why["inputs"] == {}


def test_without_closed_deals_competitiveness_is_the_revenue_percentile_alone():
    # given: top revenue of three, no won or lost deals
    measured, inputs = measured_axes(PartnerFacts(revenue=900.0), [0.0, 300.0, 900.0], [0.0, 0.0, 0.0])

    # then
    assert measured["competitiveness"] == 100.0
    assert "win_rate" not in inputs
    assert measured["willingness"] is None  # no registrations in the cohort, no visits
    assert measured["autonomy"] is None  # no registrations of its own


@pytest.mark.parametrize(
    ("value", "cohort", "expected"),
    [
        (100.0, [100.0], 50.0),  # one partner
        (5.0, [], 0.0),  # nobody to compare with
        (0.0, [0.0, 0.0, 0.0], 50.0),  # all zero: all tied in the middle
        (30.0, [10.0, 30.0, 30.0, 50.0], 50.0),  # ties share the mid rank
        (-500.0, [0.0, 100.0, 200.0, 300.0, 400.0, 500.0], 0.0),  # returns exceed sales, below the cohort
        (0.0, [100.0, 200.0, 300.0, 400.0, 500.0, 600.0], 0.0),  # not a seller, measured against sellers
        (900.0, [100.0, 200.0, 300.0], 100.0),  # above everyone in the cohort
    ],
)
def test_a_percentile_is_always_between_0_and_100(value, cohort, expected):

    assert percentile(value, sorted(cohort)) == expected


@pytest.mark.parametrize(
    ("weights", "measured"),
    [
        ({}, (75.0 + 50.0 + 20.0) / 3),  # every input counts once
        ({"training": 0}, (75.0 + 50.0) / 2),  # training left out
        ({"registrations": 3, "visits": 1, "training": 0}, (3 * 75.0 + 50.0) / 4),
    ],
)
def test_willingness_is_the_weighted_mean_of_the_programmes_inputs(worked_example, weights, measured):

    facts, *rest = worked_example
    facts = replace(facts, extra={"training": 20.0})
    programme = PartnerProgramme(willingness_weights={**PartnerProgramme().willingness_weights, **weights})

    _tier, why = decide_tier(facts, *rest, programme)

    assert why["axes"]["willingness"]["measured"] == pytest.approx(measured, abs=0.05)
    assert {i["input"] for i in why["inputs"]["willingness"]} == {
        name for name in ("registrations", "visits", "training") if weights.get(name, 1)
    }

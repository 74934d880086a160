"""A rule's parameters read as a sentence on the rules page (never as raw JSON)."""

import pytest

from incentives.rules.describe import describe
from tests.factories import IncentiveRuleFactory

CASES = [
    ("commission", {"rate": "5"}, "5% of sales"),
    (
        "commission",
        {"rate": "4.5", "tier_multipliers": {"B": "1.10", "A": "1.2"}, "cap": "10000"},
        "4.5% of sales, × 1.2 for tier A, × 1.1 for tier B, at most 10 000.00 EUR",
    ),
    (
        "commission",
        {
            "brackets": [
                {"from": "0", "to": "20000", "rate": "2"},
                {"from": "20000", "to": None, "rate": "4"},
            ],
            "mode": "marginal",
        },
        "Commission by volume brackets: 2% from 0.00 EUR to 20 000.00 EUR; 4% above 20 000.00 EUR "
        "(each bracket on its own part of the volume)",
    ),
    ("rebate", {"threshold": "5000", "rate": "2"}, "2% of the whole volume once it passes 5 000.00 EUR"),
    ("spif", {"product": "RX-200", "amount_per_unit": "50"}, "50.00 EUR for each unit of RX-200 sold"),
    (
        "bonus",
        {"type": "score", "amount": "500", "threshold": "80"},
        "500.00 EUR for a scorecard score of 80 or more",
    ),
    (
        "bonus",
        {"type": "attainment", "amount": "300", "threshold": "100", "kpi": "revenue"},
        "300.00 EUR for 100% or more of the revenue target",
    ),
    ("bonus", {"type": "first_sale", "amount": "250"}, "250.00 EUR for the partner's first sale"),
    ("mdf", {"budget_share": "2"}, "Market development funds: a budget of 2% of last period's revenue"),
    ("points", {"per_amount": "100", "points": "10"}, "10 points for every 100.00 EUR sold"),
]


@pytest.mark.parametrize(("kind", "params", "words"), CASES)
def test_each_kind_reads_as_a_sentence(kind, params, words):
    assert describe(kind, params, "EUR") == words


def test_unreadable_parameters_say_so_instead_of_failing():
    assert describe("rebate", {"rate": "2"}, "EUR").startswith("Parameters not readable:")


@pytest.mark.django_db
def test_the_rules_page_shows_the_sentence_not_the_json(tenant, member, web):
    # given
    IncentiveRuleFactory(
        tenant=tenant, name="Rebate", kind="rebate", params={"threshold": "5000", "rate": "2"}
    )

    # when
    page = web(member(tenant)).get("/t/alpha/incentives/rules/").content.decode()

    # then
    assert "2% of the whole volume once it passes 5 000.00 EUR" in page
    assert "&quot;threshold&quot;" not in page and '"threshold"' not in page

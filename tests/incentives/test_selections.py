"""The sales a rule pays on, selected and summed in SQL, are those the rule kinds select from a
list of sales (as the kinds' own tests give them): same count, volume, units and source, for every
kind of selection."""

from datetime import date
from decimal import Decimal as D

import pytest

from incentives.facts import load_facts
from incentives.money import MissingRate
from incentives.rules.base import ALL, SaleFact, Selection, all_sales, criteria, selection
from partners.models import Sale
from prm.periods import parse_period
from prm.tenancy.context import tenant_context
from tests.factories import ExchangeRateFactory, IncentiveRuleFactory
from tests.incentives.test_runs import PERIOD, sell, signed

pytestmark = pytest.mark.django_db


def rules(tenant):
    return [
        IncentiveRuleFactory(tenant=tenant, kind="commission", name="All", params={"rate": "5"}),
        IncentiveRuleFactory(
            tenant=tenant,
            kind="commission",
            name="Two products",
            params={"rate": "3"},
            products=["RX-200", "RX-300"],
        ),
        IncentiveRuleFactory(
            tenant=tenant,
            kind="rebate",
            name="August on",
            params={"threshold": "1", "rate": "1"},
            valid_from=date(2026, 8, 1),
            valid_to=date(2026, 9, 10),
        ),
        IncentiveRuleFactory(
            tenant=tenant, kind="spif", name="SPIF", params={"product": "RX-300", "amount_per_unit": "10"}
        ),
        IncentiveRuleFactory(
            tenant=tenant, kind="points", name="Points", params={"per_amount": "100", "points": "1"}
        ),
    ]


def as_compared(sales: Selection) -> tuple:
    return sales.count, sales.volume, sales.units, sales.source


def with_sale_list(facts: dict, sales) -> None:
    """``sales`` as a list of ``SaleFact`` on each partner's facts, in date order, instead of
    the selections counted in SQL: what the rule kinds select from in their own tests."""
    fields = ["id", "external_id", "date", "product", "quantity", "amount", "currency", "rate", "customer"]
    for partner in facts.values():
        partner.selections = None
    for row in sales.order_by("date", "id").values_list(*fields, "partner_id"):
        assert row[7] is not None, "every sale of the example has a rate"
        facts[row[9]].sales.append(SaleFact(*row[:9]))


def test_each_rules_selection_counted_in_sql_is_the_one_selected_from_the_sales(tenant):
    # given: two currencies, a return, several products and days, a partner with no sale
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 7, 1), rate=D("0.9"))
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 8, 20), rate=D("0.85"))
    north, south, quiet = signed(tenant, "North"), signed(tenant, "South"), signed(tenant, "Quiet")
    sell(north, "1000.00", day=date(2026, 7, 5), product="RX-200", quantity=D("2"))
    sell(north, "250.50", day=date(2026, 8, 21), product="RX-300", currency="USD", quantity=D("3"))
    sell(north, "-120.00", day=date(2026, 9, 1), product="RX-300", quantity=D("1"))
    sell(north, "99.99", day=date(2026, 9, 30), product="RX-900", currency="USD")
    sell(south, "400.00", day=date(2026, 8, 2), product="RX-300", quantity=D("5"))
    sell(south, "400.00", day=date(2026, 6, 30), product="RX-300")  # the quarter before
    period = parse_period(PERIOD)

    # when
    with tenant_context(tenant):
        paying = rules(tenant)
        in_sql = load_facts(tenant, period, rules=paying)
        in_python = load_facts(tenant, period, rules=paying)
        with_sale_list(in_python, Sale.objects.filter(date__gte=period.start, date__lte=period.end))

    # then: every rule's selection, and all sales, agree for every partner (the quiet one has none)
    assert len({criteria(rule) for rule in paying} | {ALL}) == 4  # "All" and the points share one
    for partner in (north, south, quiet):
        for rule in paying:
            assert as_compared(selection(rule, in_sql[partner.pk])) == as_compared(
                selection(rule, in_python[partner.pk])
            ), (partner.name, rule.name)
        assert as_compared(all_sales(in_sql[partner.pk])) == as_compared(all_sales(in_python[partner.pk]))
    north_sales = all_sales(in_sql[north.pk])
    assert (north_sales.count, north_sales.volume) == (
        4,
        D("1000.00") + D("250.50") * D("0.85") - D("120.00") + D("99.99") * D("0.85"),
    )
    rates = {day: D(rate) for day, rate in north_sales.source["rates"].items()}
    assert rates == {"USD@2026-08-21": D("0.85"), "USD@2026-09-30": D("0.85")}
    assert selection(paying[3], in_sql[north.pk]).units == D("2")  # 3 sold, 1 returned
    assert all_sales(in_sql[quiet.pk]).count == 0


def test_a_sale_no_rate_converts_names_the_first_such_sale(tenant):
    # given
    partner = signed(tenant, "North")
    sell(partner, "10.00", day=date(2026, 8, 3), currency="GBP", external_id="GB-2")
    sell(partner, "10.00", day=date(2026, 7, 9), currency="GBP", external_id="GB-1")

    # when
    with tenant_context(tenant), pytest.raises(MissingRate) as raised:
        load_facts(tenant, parse_period(PERIOD), rules=rules(tenant))

    # then
    assert "GB-1" in str(raised.value)

"""``incentives/queries.py`` held to what the ORM says of the same small data: the selections of a
partner's sales counted and summed in SQL, a range's lines written in one statement, the lines,
points and warnings a join reads from the kept JSON, and the duplicate sales across partners."""

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal as D

import pytest

from incentives.models import PayoutLine, PayoutRunWarning, PointsEntry
from incentives.queries import (
    chunk_lines_insert,
    chunk_points_insert,
    chunk_warnings_insert,
    duplicate_sales_insert,
    payout_lines_insert,
    sale_selections,
)
from partners.models import Sale
from prm.jobs.models import ComputationChunk
from prm.tenancy.context import tenant_context
from tests.factories import ExchangeRateFactory, IncentiveRuleFactory, PayoutRunFactory
from tests.incentives.test_runs import IN_Q3, sell, signed

pytestmark = pytest.mark.django_db

AUGUST = date(2026, 8, 1)


@pytest.fixture
def sales(tenant):
    """Two partners' sales: products, a return, a sale in dollars (a rate) and one in pounds (none)."""
    first, second = signed(tenant, "First"), signed(tenant, "Second")
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 7, 1), rate=D("0.9"))
    sell(first, "100", product="RX-200", quantity=2, day=date(2026, 7, 10))
    sell(first, "50", product="RX-300", quantity=1, day=date(2026, 8, 20))
    sell(first, "-20", product="RX-200", quantity=1, day=date(2026, 8, 21))
    sell(first, "200", product="RX-300", quantity=3, currency="USD", day=date(2026, 9, 1))
    sell(second, "10", product="RX-200", quantity=1, currency="GBP", day=date(2026, 8, 5))
    return Sale.objects.for_tenant(tenant)


WANTED = [
    {"k": 0, "products": [], "since": None, "until": None, "product": None},
    {"k": 1, "products": ["RX-200"], "since": None, "until": None, "product": None},
    {"k": 2, "products": [], "since": AUGUST.isoformat(), "until": None, "product": "RX-300"},
]


def selected_by_the_orm(sales, tenant) -> dict:
    """(partner id, k) → what ``sale_selections`` says of it, from the ORM's rows."""
    fields = ["id", "external_id", "partner_id", "date", "product", "quantity", "amount", "currency", "rate"]
    rows = list(sales.order_by("date", "id").values(*fields))
    found = {}
    for want in WANTED:
        chosen = defaultdict(list)
        for row in rows:
            if want["products"] and row["product"] not in want["products"]:
                continue
            if want["since"] and row["date"] < date.fromisoformat(want["since"]):
                continue
            if want["product"] and row["product"] != want["product"]:
                continue
            chosen[row["partner_id"]].append(row)
        for partner_id, picked in chosen.items():
            found[(partner_id, want["k"])] = (
                len(picked),
                sum((r["amount"] * r["rate"] for r in picked if r["rate"] is not None), D(0)),
                sum(abs(r["quantity"]) if r["amount"] >= 0 else -abs(r["quantity"]) for r in picked),
                sum(r["rate"] is None for r in picked),
                {
                    "sales": [r["id"] for r in picked],
                    "external_ids": [r["external_id"] for r in picked],
                    "rates": {
                        f"{r['currency']}@{r['date'].isoformat()}": str(r["rate"])
                        for r in picked
                        if r["rate"] is not None and r["rate"] != 1
                    },
                },
            )
    return found


def test_the_selections_are_counted_and_summed_as_the_orm_rows_add_up(tenant, sales):
    with tenant_context(tenant):
        expected = selected_by_the_orm(sales, tenant)
        rows = list(sale_selections(sales, WANTED))

    got = {
        (partner_id, k): (count, volume, units, unconverted, json.loads(source))
        for partner_id, k, count, volume, units, unconverted, source in rows
    }
    assert got == expected
    assert len(got) == 5  # the first partner in all three, the second in two (no RX-300)


@pytest.fixture
def run(tenant):
    return PayoutRunFactory(tenant=tenant, period="2026-Q3")


def lines_of(run) -> list[tuple]:
    with tenant_context(run.tenant_id):
        return list(
            PayoutLine.objects.filter(run=run)
            .order_by("pk")
            .values_list(
                "partner_id", "rule_id", "rule_version", "kind", "amount", "currency", "explanation", "source"
            )
        )


def test_a_ranges_lines_go_in_with_their_sales_joined_to_their_details(tenant, run):
    partner, rule = signed(tenant), IncentiveRuleFactory(tenant=tenant, kind="commission")
    sales = json.dumps({"sales": [1, 2], "external_ids": ["a", "b"], "rates": {}})

    with tenant_context(tenant):
        count = payout_lines_insert(
            tenant_id=tenant.pk,
            run_id=run.pk,
            currency="EUR",
            partner_ids=[partner.pk, partner.pk],
            rule_ids=[rule.pk, rule.pk],
            rule_versions=[1, 1],
            kinds=["commission", "bonus"],
            amounts=[D("12.50"), D("100.00")],
            explanations=["Five per cent", "A bonus"],
            details=[json.dumps({"rate": "5", "sales": "kept"}), json.dumps({"type": "first_sale"})],
            sales=[sales, None],
        )

    assert count == 2
    assert lines_of(run) == [
        (
            partner.pk,
            rule.pk,
            1,
            "commission",
            D("12.50"),
            "EUR",
            "Five per cent",
            {"sales": "kept", "external_ids": ["a", "b"], "rates": {}, "rate": "5"},  # the details win
        ),
        (partner.pk, rule.pk, 1, "bonus", D("100.00"), "EUR", "A bonus", {"type": "first_sale"}),
    ]


def test_the_kept_ranges_lines_points_and_warnings_go_into_the_run_in_the_ranges_order(
    tenant, other_tenant, run
):
    partner, rule = signed(tenant), IncentiveRuleFactory(tenant=tenant, kind="points")

    def line(n):
        return {
            "partner_id": partner.pk,
            "rule_id": rule.pk,
            "rule_version": 1,
            "kind": "points",
            "amount": f"{n}.00",
            "explanation": f"Line {n}",
            "source": {"n": n},
            "sales": json.dumps({"sales": [n]}) if n % 2 else None,
        }

    def payload(n):
        warning = {"code": "jump", "rank": 3, "partner": partner.pk, "position": n, "params": {"n": n}}
        return {
            "lines": [line(n)],
            "points": [{"partner_id": partner.pk, "rule_id": rule.pk, "points": n, "reason": f"Line {n}"}],
            "warnings": [{**warning, "facts": {"sales_count": 0, "sales": []}}],
        }

    with tenant_context(tenant):
        # kept in another order than the ranges'; one range of another plan is not read
        chunks = [
            ComputationChunk.objects.create(
                tenant=tenant, computation="incentives.payout_run", token=token, index=i, payload=payload(n)
            )
            for token, i, n in [(1, 1, 2), (1, 0, 1), (2, 0, 9)]
        ]
        ids = [chunks[1].pk, chunks[0].pk]
        args = {"tenant_id": tenant.pk, "run_id": run.pk}

        counts = (
            chunk_lines_insert(**args, currency="EUR", chunk_ids=ids),
            chunk_points_insert(**args, chunk_ids=ids),
            chunk_warnings_insert(**args, chunk_ids=ids),
        )
        points = list(
            PointsEntry.objects.filter(run=run)
            .order_by("pk")
            .values_list("partner_id", "rule_id", "points", "reason")
        )
        warnings = sorted(
            PayoutRunWarning.objects.filter(run=run).values_list(
                "code", "rank", "partner_id", "position", "params", "facts"
            ),
            key=lambda w: w[3],
        )

    assert counts == (2, 2, 2)
    assert lines_of(run) == [
        (partner.pk, rule.pk, 1, "points", D("1.00"), "EUR", "Line 1", {"n": 1, "sales": [1]}),
        (partner.pk, rule.pk, 1, "points", D("2.00"), "EUR", "Line 2", {"n": 2}),
    ]
    assert points == [(partner.pk, rule.pk, 1, "Line 1"), (partner.pk, rule.pk, 2, "Line 2")]
    assert warnings == [("jump", 3, partner.pk, n, {"n": n}, {"sales_count": 0, "sales": []}) for n in (1, 2)]


def duplicates_by_the_orm(sales, names_kept: int, sales_kept: int) -> list[tuple]:
    """The duplicate-sale warnings ``duplicate_sales_insert`` writes, from the ORM's rows: the
    groups of the same customer key, product, day and amount booked by more than one partner."""
    groups = defaultdict(list)
    fields = ["id", "partner_id", "partner__name", "customer_key", "product", "date", "amount"]
    for row in sales.order_by("id").values(*fields):
        groups[(row["customer_key"], row["product"], row["date"], row["amount"])].append(row)
    duplicates = [(key, rows) for key, rows in groups.items() if len({r["partner_id"] for r in rows}) > 1]
    duplicates.sort(key=lambda group: (group[0][2], group[1][0]["id"]))  # by day, then first sale
    warnings = []
    for position, ((customer, product, day, amount), rows) in enumerate(duplicates):
        names = sorted({r["partner__name"] for r in rows})
        params = {
            "customer": customer or "—",
            "product": product,
            "date": day.isoformat(),
            "amount": str(amount),
            "partners": ", ".join(names[:names_kept]) + (", …" if len(names) > names_kept else ""),
        }
        facts = {
            "sales_count": len(rows),
            "sales": [r["id"] for r in rows][:sales_kept],
            "partners_count": len({r["partner_id"] for r in rows}),
        }
        warnings.append(("duplicate_sale", 0, None, position, params, facts))
    return warnings


def test_the_same_sale_booked_by_several_partners_is_one_warning_per_group(tenant, run):
    # given: Acme's sale booked by three partners (one of them twice, under another spelling), Zed's
    # by two on a later day; Lone's booked twice by one partner (no duplicate across partners)
    a, b, c = signed(tenant, "Alpha"), signed(tenant, "Beta"), signed(tenant, "Gamma")
    for partner in (c, b, a):
        sell(partner, "777", customer="Acme Robotics", product="RX-200")
    sell(a, "777", customer="ACME Robotics S.A.", product="RX-200")
    sell(a, "50", customer="Lone", product="RX-200")
    sell(a, "50", customer="Lone", product="RX-200")
    for partner in (b, c):
        sell(partner, "5", customer="Zed", product="RX-300", day=IN_Q3.replace(day=20))

    with tenant_context(tenant):
        sales = Sale.objects.exclude(customer="")
        count = duplicate_sales_insert(
            sales, tenant_id=tenant.pk, run_id=run.pk, rank=0, sales_kept=2, names_kept=2
        )
        expected = duplicates_by_the_orm(sales, names_kept=2, sales_kept=2)
        found = list(
            PayoutRunWarning.objects.filter(run=run)
            .order_by("position")
            .values_list("code", "rank", "partner_id", "position", "params", "facts")
        )

    assert count == 2 and found == expected
    assert found[0][4]["partners"] == "Alpha, Beta, …" and found[0][5]["sales_count"] == 4

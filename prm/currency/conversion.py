"""One currency truth: a sale's amount in the tenant's currency, at the tenant's rate of its date.

A sale is converted when it is written: it keeps ``rate`` (what one unit of its currency is in the
tenant's: the latest rate on or before its date, 1 for the tenant's own currency) and ``converted``
(``amount * rate``), both NULL when no rate converts it (``partners.Sale``; the database sets them,
and a rate added later re-converts the sales it applies to). Tiers, scorecards and dashboards sum
``converted`` instead of counting only the sales made in the tenant's currency; the payout run reads
each sale's ``rate`` and keeps it on the line that pays it. No computation looks a rate up per sale.
The rates are this module's ``ExchangeRate`` table (finance keeps it through incentives' pages).

The functions take any queryset of sales with ``amount``, ``currency``, ``date``, ``partner_id`` and
the stored ``converted`` (``partners.Sale``), so this module knows no app above it.

A sale with no rate on or before its date has ``converted`` NULL: aggregates leave it out, and
``unconverted()`` says which currencies from which date, for the job to report.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Min

from .queries import per_partner_and_currency


def unconverted(sales, tenant) -> list[dict]:
    """Sales of ``sales`` that no rate converts, per currency: how many and from which date (one query)."""
    rows = (
        sales.exclude(currency=tenant.currency)
        .filter(converted__isnull=True)
        .values("currency")
        .annotate(sales=Count("id"), first_date=Min("date"))
        .order_by("currency")
    )
    return [
        {"currency": r["currency"], "sales": r["sales"], "from": r["first_date"].isoformat()} for r in rows
    ]


def conversions(sales, tenant) -> dict[int, list[dict]]:
    """Per partner, its sales of ``sales`` in other currencies and what they converted to, with the
    mean rate: the rates behind a revenue figure, kept where it is explained (one query)."""
    return conversions_and_unconverted(sales, tenant)[0]


def conversions_and_unconverted(sales, tenant) -> tuple[dict[int, list[dict]], list[dict]]:
    """``conversions(sales)`` and ``unconverted(sales)`` from one pass over the foreign sales (a
    computation that needs both reads the period's sales in other currencies once, not twice)."""
    rows = per_partner_and_currency(sales.exclude(currency=tenant.currency))
    found: dict[int, list[dict]] = {}
    for row in rows:
        if row["in_home"] is None:
            continue
        amount, converted = row["total"], row["in_home"]
        found.setdefault(row["partner_id"], []).append(
            {
                "currency": row["currency"],
                "amount": str(amount),
                "converted": str(converted.quantize(Decimal("0.01"))),
                "rate": str((converted / amount).quantize(Decimal("0.000001"))) if amount else None,
            }
        )
    return found, _unconverted_of(rows)


def revenue_and_unconverted(sales, tenant) -> tuple[dict[int, Decimal], list[dict]]:
    """Each partner's converted revenue over ``sales`` and ``unconverted(sales)``: one pass."""
    rows = per_partner_and_currency(sales)
    revenue: dict[int, Decimal] = {}
    for row in rows:
        revenue[row["partner_id"]] = revenue.get(row["partner_id"], Decimal(0)) + (
            row["in_home"] or Decimal(0)
        )
    return revenue, _unconverted_of(rows)


def merged_unconverted(parts: list[list[dict]]) -> list[dict]:
    """Several ranges' ``unconverted`` answers as one: per currency, the sales added up, the first date."""
    merged: dict[str, dict] = {}
    for part in parts:
        for row in part:
            gap = merged.setdefault(
                row["currency"], {"currency": row["currency"], "sales": 0, "from": row["from"]}
            )
            gap["sales"] += row["sales"]
            gap["from"] = min(gap["from"], row["from"])
    return [merged[currency] for currency in sorted(merged)]


def _unconverted_of(rows) -> list[dict]:
    """``unconverted``'s answer from ``queries.per_partner_and_currency``'s rows."""
    missing: dict[str, dict] = {}
    for row in rows:
        if row["missing"]:
            gap = missing.setdefault(row["currency"], {"currency": row["currency"], "sales": 0, "from": None})
            gap["sales"] += row["missing"]
            gap["from"] = min(filter(None, [gap["from"], row["first_missing"]]))
    return [missing[currency] for currency in sorted(missing)]

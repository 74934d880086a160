"""One currency truth: a sale's amount in the tenant's currency, at the tenant's rate of its date.

Tiers, scorecards and dashboards sum ``converted`` instead of counting only the sales made in the
tenant's currency (a partner selling in USD for a EUR tenant would look like it sells nothing). The
rule is the payout run's (``incentives.facts.RateTable``): the latest rate on or before the sale's
date; the tenant's own currency is 1. The rate table belongs to finance (``incentives.ExchangeRate``,
named by ``settings.PRM_RATE_MODEL`` so this low layer does not import it).

A sale with no rate on or before its date has ``converted`` NULL: aggregates leave it out, and
``unconverted()`` says which currencies from which date, for the job to report.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db.models import Case, Count, DecimalField, F, Min, OuterRef, Subquery, When

MONEY = DecimalField(max_digits=24, decimal_places=8)


def rate_model():
    return apps.get_model(settings.PRM_RATE_MODEL)


def with_converted(sales, tenant):
    """``sales`` annotated with ``converted``: the amount in the tenant's currency (NULL without a rate)."""
    rate = (
        rate_model().objects.for_tenant(tenant)
        .filter(currency=OuterRef("currency"), date__lte=OuterRef("date"))
        .order_by("-date").values("rate")[:1]
    )  # fmt: skip
    return sales.annotate(
        converted=Case(
            When(currency=tenant.currency, then=F("amount")),
            default=F("amount") * Subquery(rate, output_field=MONEY),
            output_field=MONEY,
        )
    )


def unconverted(sales, tenant) -> list[dict]:
    """Sales of ``sales`` that no rate converts, per currency: how many and from which date (one query)."""
    rows = (
        with_converted(sales.exclude(currency=tenant.currency), tenant)
        .filter(converted__isnull=True)
        .values("currency")
        .annotate(sales=Count("id"), first_date=Min("date"))
        .order_by("currency")
    )
    return [
        {"currency": r["currency"], "sales": r["sales"], "from": r["first_date"].isoformat()} for r in rows
    ]

"""The payout run's warning of sales below the minimum resale price (declared in ``plugs.run_checks``).

Written once every range of the run is in: one ``INSERT … SELECT`` over a GROUP BY of the period's
flagged sales per partner (how many, the first few, the products), so the run reads no sale into
Python. Where the programme says such sales earn nothing (``below_minimum_earns`` off), the run
leaves them out (``excluded``) and each warning says so.
"""

from __future__ import annotations

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from incentives.models import PayoutRunWarning
from incentives.queries import WARNING_COLUMNS
from incentives.run_warnings import SALES_KEPT

from .flags import below_minimum, sales_below
from .programme import pricing_programme_for

CODE = "below_minimum_price"
#: the kind's fixed rank among a run's warnings (after incentives' own five)
RANK = 5
LABEL = _("Sales below the tier's minimum resale price")
#: how many of a partner's products a warning names
PRODUCTS_KEPT = 5


def sentence(params: dict) -> str:
    """One warning in the reader's language: whether the sales earn or were left out."""
    n = params.get("n", 0)
    if params.get("excluded"):
        text = ngettext(
            "%(partner)s: %(n)d sale below its tier's minimum resale price (%(products)s), "
            "left out of this run: it earns no incentives.",
            "%(partner)s: %(n)d sales below its tier's minimum resale price (%(products)s), "
            "left out of this run: they earn no incentives.",
            n,
        )
    else:
        text = ngettext(
            "%(partner)s: %(n)d sale below its tier's minimum resale price (%(products)s); "
            "the programme lets it earn incentives.",
            "%(partner)s: %(n)d sales below its tier's minimum resale price (%(products)s); "
            "the programme lets them earn incentives.",
            n,
        )
    return text % params


def excluded(tenant):
    """The sales the run leaves out: those below the minimum, where the programme says so."""
    if pricing_programme_for(tenant).below_minimum_earns:
        return None
    return below_minimum(tenant)


def write(*, tenant, run, period, partners, rank: int = RANK) -> int:
    """One warning per partner of ``partners`` with sales below the minimum in ``period``."""
    flagged = (
        sales_below(tenant, since=period.start, until=period.end, partners=partners)
        .values("partner_id")
        .annotate(
            n=Count("id"),
            first=ArrayAgg("id", order_by="id"),
            products=ArrayAgg("product", distinct=True, order_by="product"),
            name=Max("partner__name"),
        )
        .order_by()
    )
    source, params = flagged.query.sql_with_params()
    left_out = not pricing_programme_for(tenant).below_minimum_earns
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {PayoutRunWarning._meta.db_table} ({", ".join(WARNING_COLUMNS)})
            SELECT %s, %s, %s, %s, f.partner_id, 0,
                   jsonb_build_object('partner', f.name, 'n', f.n, 'excluded', %s,
                                      'products', array_to_string(f.products[1:%s], ', ')
                                                  || CASE WHEN cardinality(f.products) > %s THEN ', …' ELSE '' END),
                   jsonb_build_object('sales_count', f.n, 'sales', to_jsonb(f.first[1:%s]))
            FROM ({source}) f
            """,
            [tenant.pk, run.pk, CODE, rank, left_out, PRODUCTS_KEPT, PRODUCTS_KEPT, SALES_KEPT, *params],
        )
        return cursor.rowcount

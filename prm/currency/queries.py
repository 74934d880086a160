"""The plain SQL statements of the currency module, each a function saying what it returns.

Row-level security applies to every statement: they run as the web role, inside the caller's tenant
scope, like any ORM query.
"""

from __future__ import annotations

from django.db import connection


def per_partner_and_currency(converted_sales) -> list[dict]:
    """Per partner and currency of ``converted_sales`` (sales with their stored ``converted``, see
    ``conversion``), ordered by partner and currency, one dict each:

    - ``partner_id``, ``currency``;
    - ``total``: the amount of the sales a rate converts (None when none does);
    - ``in_home``: what they converted to in the tenant's currency (None when none);
    - ``missing``: how many sales no rate converts;
    - ``first_missing``: the first date of those, ``"YYYY-MM-DD"`` (None when none).

    One statement over the ORM's query of the sales: the four sums in one pass.
    """
    inner, params = (
        converted_sales.order_by()
        .values("partner_id", "currency", "amount", "date", "converted")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT partner_id, currency, SUM(amount) FILTER (WHERE converted IS NOT NULL), SUM(converted),
                   COUNT(*) FILTER (WHERE converted IS NULL), MIN(date) FILTER (WHERE converted IS NULL)
            FROM ({inner}) AS sale GROUP BY partner_id, currency ORDER BY partner_id, currency
            """,
            params,
        )
        return [
            {
                "partner_id": partner_id,
                "currency": currency,
                "total": total,
                "in_home": in_home,
                "missing": missing,
                "first_missing": str(first_missing)[:10] if first_missing else None,
            }
            for partner_id, currency, total, in_home, missing, first_missing in cursor.fetchall()
        ]

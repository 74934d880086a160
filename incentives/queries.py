"""The statements of incentives/ that the ORM cannot say: plain SQL, one function each.

A payout run's sales stay in the database: each selection its rules make of a partner's sales is
counted and summed there (``sale_selections``), a range's lines go into the run with one statement
(``payout_lines_insert``), or, when ranges ran on workers, every range's lines, points and warnings
kept aside as JSON go in with one ``INSERT … SELECT`` each (``chunk_lines_insert``,
``chunk_points_insert``, ``chunk_warnings_insert``); the duplicate sales across partners are one
``INSERT … SELECT`` over a GROUP BY (``duplicate_sales_insert``). Each function is held to what the
ORM gives on small data by ``tests/incentives/test_queries.py``.
"""

from __future__ import annotations

import json

from django.db import connection

from partners.models import Partner
from prm.jobs.models import ComputationChunk

from .models import PayoutLine, PayoutRunWarning, PointsEntry

#: the columns of a warning's row, as every statement here writes them
WARNING_COLUMNS = ["tenant_id", "run_id", "code", "rank", "partner_id", "position", "params", "facts"]


def sale_selections(sales, wanted: list[dict]):
    """Yield, for each partner of ``sales`` (a queryset of ``Sale``, read with each sale's stored
    ``rate`` and ``converted``, ``prm.currency.conversion``) and each selection of ``wanted`` it has sales in,
    one row: (partner id, the selection's ``k``, how many sales, their volume converted at each
    sale's rate, their units (returns negative), how many have no rate, their source as JSON text:
    ``{"sales": [ids], "external_ids": [...], "rates": {"USD@2026-08-01": "0.9", ...}}`` in date
    order, rates of 1 left out).

    ``wanted``: the selections, ``{"k": n, "products": [codes] (empty: every
    product), "since": date or null, "until": date or null, "product": code or null}``. One
    aggregate query: the sales are read once and joined to every selection they belong to.
    """
    inner, params = sales.values(
        "id",
        "external_id",
        "partner_id",
        "date",
        "product",
        "quantity",
        "amount",
        "currency",
        "rate",
        "converted",
    ).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH s AS MATERIALIZED ({inner}),
                 k AS (SELECT * FROM jsonb_to_recordset(%s::jsonb)
                       AS k(k int, products jsonb, since date, until date, product text))
            SELECT s.partner_id, k.k, count(*), coalesce(sum(s.converted), 0),
                   sum(CASE WHEN s.amount >= 0 THEN abs(s.quantity) ELSE -abs(s.quantity) END),
                   count(*) FILTER (WHERE s.rate IS NULL),
                   jsonb_build_object(
                     'sales', jsonb_agg(s.id ORDER BY s.date, s.id),
                     'external_ids', jsonb_agg(s.external_id ORDER BY s.date, s.id),
                     'rates', coalesce(jsonb_object_agg(s.currency || '@' || to_char(s.date, 'YYYY-MM-DD'),
                                                        s.rate::text) FILTER (WHERE s.rate <> 1), '{{}}'))::text
            FROM s JOIN k ON (k.products = '[]' OR k.products ? s.product)
              AND (k.since IS NULL OR s.date >= k.since) AND (k.until IS NULL OR s.date <= k.until)
              AND (k.product IS NULL OR s.product = k.product)
            GROUP BY s.partner_id, k.k
            """,
            [*params, json.dumps(wanted)],
        )
        yield from cursor


def payout_lines_insert(
    *,
    tenant_id: int,
    run_id: int,
    currency: str,
    partner_ids: list[int],
    rule_ids: list[int],
    rule_versions: list[int],
    kinds: list[str],
    amounts: list,
    explanations: list[str],
    details: list[str],
    sales: list[str | None],
) -> int:
    """Insert lines into the run in one statement, the n-th line made of the n-th value of each
    list: ``details`` JSON text of its source besides the sales, ``sales`` its selection's source as
    JSON text (``sale_selections``) or None; a line's ``source`` is the two joined (the details
    win). Returns how many lines went in."""
    if not partner_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {PayoutLine._meta.db_table}
              (tenant_id, run_id, partner_id, rule_id, rule_version, kind, amount, currency, explanation, source)
            SELECT %s, %s, l.partner_id, l.rule_id, l.rule_version, l.kind, l.amount, %s, l.explanation,
                   coalesce(l.sales::jsonb || l.details, l.details)
            FROM unnest(%s::bigint[], %s::bigint[], %s::integer[], %s::text[], %s::numeric[], %s::text[],
                        %s::jsonb[], %s::text[])
              AS l(partner_id, rule_id, rule_version, kind, amount, explanation, details, sales)
            """,
            [
                tenant_id,
                run_id,
                currency,
                partner_ids,
                rule_ids,
                rule_versions,
                kinds,
                amounts,
                explanations,
                details,
                sales,
            ],
        )
        return cursor.rowcount


def chunk_lines_insert(*, tenant_id: int, run_id: int, currency: str, chunk_ids: list[int]) -> int:
    """Insert into the run the lines kept in the payloads of the chunks ``chunk_ids`` (their
    ``lines``: ``{"partner_id", "rule_id", "rule_version", "kind", "amount", "explanation",
    "source", "sales"}``, ``sales`` the selection's source as JSON text or null), chunk by chunk in
    their order, in one ``INSERT … SELECT`` that reads the JSON in the database. A line's
    ``source`` is its sales' JSON joined to its ``source``. Returns how many lines went in."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {PayoutLine._meta.db_table}
              (tenant_id, run_id, partner_id, rule_id, rule_version, kind, amount, currency, explanation, source)
            SELECT c.tenant_id, %(run)s, l.partner_id, l.rule_id, l.rule_version, l.kind, l.amount, %(currency)s,
                   l.explanation, coalesce(l.sales::jsonb || l.source, l.source)
            FROM {ComputationChunk._meta.db_table} c
            CROSS JOIN LATERAL jsonb_to_recordset(c.payload -> 'lines') AS l(partner_id bigint, rule_id bigint,
              rule_version integer, kind text, amount numeric, explanation text, source jsonb, sales text)
            WHERE c.tenant_id = %(t)s AND c.id = ANY(%(ids)s)
            ORDER BY c.index
            """,
            {"t": tenant_id, "run": run_id, "currency": currency, "ids": chunk_ids},
        )
        return cursor.rowcount


def chunk_points_insert(*, tenant_id: int, run_id: int, chunk_ids: list[int]) -> int:
    """Insert into the run's points ledger the entries kept in the payloads of the chunks
    ``chunk_ids`` (their ``points``: ``{"partner_id", "rule_id", "points", "reason"}``), chunk by
    chunk in their order, in one ``INSERT … SELECT``, dated now. Returns how many went in."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {PointsEntry._meta.db_table} (tenant_id, run_id, partner_id, rule_id, points, reason, created_at)
            SELECT c.tenant_id, %(run)s, p.partner_id, p.rule_id, p.points, p.reason, now()
            FROM {ComputationChunk._meta.db_table} c
            CROSS JOIN LATERAL jsonb_to_recordset(c.payload -> 'points') AS p(partner_id bigint, rule_id bigint,
              points integer, reason text)
            WHERE c.tenant_id = %(t)s AND c.id = ANY(%(ids)s)
            ORDER BY c.index
            """,
            {"t": tenant_id, "run": run_id, "ids": chunk_ids},
        )
        return cursor.rowcount


def chunk_warnings_insert(*, tenant_id: int, run_id: int, chunk_ids: list[int]) -> int:
    """Insert into the run's warnings those kept in the payloads of the chunks ``chunk_ids`` (their
    ``warnings``: ``{"code", "rank", "partner", "position", "params", "facts"}``, as
    ``run_checks.chunk_warnings`` gives them), in one ``INSERT … SELECT``. Returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {PayoutRunWarning._meta.db_table} ({", ".join(WARNING_COLUMNS)})
            SELECT c.tenant_id, %(run)s, w.code, w.rank, w.partner, w.position, w.params, w.facts
            FROM {ComputationChunk._meta.db_table} c
            CROSS JOIN LATERAL jsonb_to_recordset(c.payload -> 'warnings') AS w(code text, rank smallint,
              partner bigint, position integer, params jsonb, facts jsonb)
            WHERE c.tenant_id = %(t)s AND c.id = ANY(%(ids)s)
            """,
            {"t": tenant_id, "run": run_id, "ids": chunk_ids},
        )
        return cursor.rowcount


def duplicate_sales_insert(
    sales, *, tenant_id: int, run_id: int, rank: int, sales_kept: int, names_kept: int
) -> int:
    """Insert one ``duplicate_sale`` warning of the run (of rank ``rank``) for each group of
    ``sales`` (a queryset of ``Sale`` with a customer) booked by more than one partner with the same
    normalised customer (``customer_key``), product, day and amount, in one ``INSERT … SELECT`` over
    a GROUP BY. Each warning's ``params`` say the customer ("—" when its key is empty), product,
    day, amount and the first ``names_kept`` partners' names (sorted by byte, "…" after them when
    there are more); its ``facts`` how many sales and partners and the first ``sales_kept`` sale
    ids; ``position`` numbers the groups by day, then first sale. Returns how many warnings."""
    source, params = sales.values(
        "id", "partner_id", "customer_key", "product", "date", "amount"
    ).query.sql_with_params()
    with connection.cursor() as cursor:  # the groups first (min <> max: no per-group sort), then their sales
        cursor.execute(
            f"""
            WITH s AS MATERIALIZED ({source}),
                 d AS (SELECT customer_key, product, date, amount FROM s GROUP BY 1, 2, 3, 4
                       HAVING min(partner_id) <> max(partner_id)),
                 g AS (SELECT d.customer_key, d.product, d.date, d.amount, count(*) AS n, min(s.id) AS first,
                              (array_agg(s.id ORDER BY s.id))[1:%s] AS sales,
                              (array_agg(DISTINCT p.name COLLATE "C"))[1:%s] AS names,
                              count(DISTINCT p.id) AS partners
                       FROM d JOIN s USING (customer_key, product, date, amount)
                       JOIN {Partner._meta.db_table} p ON p.id = s.partner_id AND p.tenant_id = %s
                       GROUP BY 1, 2, 3, 4)
            INSERT INTO {PayoutRunWarning._meta.db_table} ({", ".join(WARNING_COLUMNS)})
            SELECT %s, %s, 'duplicate_sale', %s, NULL, row_number() OVER (ORDER BY date, first) - 1,
                   jsonb_build_object('customer', coalesce(nullif(customer_key, ''), '—'), 'product', product,
                                      'date', date::text, 'amount', amount::text,
                                      'partners', array_to_string(names, ', ')
                                                  || CASE WHEN partners > %s THEN ', …' ELSE '' END),
                   jsonb_build_object('sales_count', n, 'sales', to_jsonb(sales), 'partners_count', partners)
            FROM g
            """,
            [*params, sales_kept, names_kept, tenant_id, tenant_id, run_id, rank, names_kept],
        )
        return cursor.rowcount

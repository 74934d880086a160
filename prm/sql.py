"""Set-based writes Django's ORM makes slow: many rows, each with its own values, in one statement.

``bulk_update(..)`` of the ORM builds a ``CASE WHEN id = … THEN …`` per row
and field: quadratic, seconds for thousands of rows. ``update_rows`` sends
the values as arrays and lets PostgreSQL join them:
``UPDATE t SET f = v.f FROM unnest(ids, values…) AS v WHERE t.id = v.id``,
one statement, whatever the number of rows. ``insert_rows`` inserts plain
tuples the same way (``INSERT … SELECT * FROM unnest(…)``), without a model
instance per row.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import connection, migrations

#: Python types PostgreSQL's driver takes as they are, by the internal type of the field they go to:
#: a value of exactly that type needs no ``get_db_prep_save`` (for a DecimalField it would rebuild
#: every Decimal: 19 of a scorecard compute's 94 s at 100 000 partners). Anything else is prepared.
_AS_IS = {
    **dict.fromkeys(
        (
            "IntegerField",
            "BigIntegerField",
            "SmallIntegerField",
            "PositiveIntegerField",
            "PositiveBigIntegerField",
            "PositiveSmallIntegerField",
            "AutoField",
            "BigAutoField",
            "ForeignKey",
        ),
        (int,),
    ),
    **dict.fromkeys(("CharField", "TextField", "SlugField"), (str,)),
    # a Decimal, or its text (as JSON keeps it): PostgreSQL reads the text as the same number
    "DecimalField": (Decimal, str),
    "BooleanField": (bool,),
    "DateField": (date,),
}


def _prepared(field, values) -> list:
    """``values`` as the database takes them for ``field``: None and values of a type the driver
    adapts as is (``_AS_IS``) pass; the rest go through the field's ``get_db_prep_save``."""
    as_is = (type(None), *_AS_IS.get(field.get_internal_type(), ()))
    return [v if type(v) in as_is else field.get_db_prep_save(v, connection) for v in values]


def update_rows(model, objects, fields: list[str], *, tenant_id: int) -> int:
    """Write ``fields`` of ``objects`` (of one tenant: instances of ``model``, or any records with
    ``pk`` and those attributes) in one UPDATE."""
    if not objects:
        return 0
    columns, arrays, casts = [], [[obj.pk for obj in objects]], ["bigint[]"]
    for name in fields:
        field = model._meta.get_field(name)
        values = _prepared(field, [getattr(obj, field.attname) for obj in objects])
        if field.get_internal_type() == "JSONField":
            values = [None if v is None else json.dumps(getattr(v, "adapted", v)) for v in values]
        columns.append(field.column)
        arrays.append(values)
        casts.append(f"{field.db_type(connection)}[]")
    table = model._meta.db_table
    names = ", ".join(f'"{c}"' for c in columns)
    sets = ", ".join(f'"{c}" = v."{c}"' for c in columns)
    unnest = ", ".join(f"%s::{cast}" for cast in casts)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" AS t SET {sets} FROM unnest({unnest}) AS v(id, {names}) '
            "WHERE t.id = v.id AND t.tenant_id = %s",
            [*arrays, tenant_id],
        )
        return cursor.rowcount


def insert_rows(model, fields: list[str], rows: list[tuple], *, tenant_id: int, returning: bool = False):
    """Insert ``rows`` (tuples of the values of ``fields``, attribute names such as ``scorecard_id``)
    into ``model``'s table in one statement: no model instance per row.

    Returns how many rows went in, or with ``returning`` their ids in the order of ``rows`` (as
    Django's own ``bulk_create`` does on PostgreSQL, from an ``INSERT … SELECT … FROM unnest``)."""
    if not rows:
        return [] if returning else 0
    columns, arrays, casts = unnest_arrays(model, fields, rows)
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if not returning:
            cursor.execute(
                f'INSERT INTO "{model._meta.db_table}" ({names}) SELECT * FROM unnest({", ".join(casts)})',
                arrays,
            )
            return cursor.rowcount
        cursor.execute(
            f'INSERT INTO "{model._meta.db_table}" ({names}) SELECT {names} '
            f'FROM unnest({", ".join(casts)}) WITH ORDINALITY AS v ({names}, "ordinality") ORDER BY "ordinality" '
            'RETURNING "id"',
            arrays,
        )
        return [row[0] for row in cursor.fetchall()]


def unnest_arrays(model, fields: list[str], rows: list[tuple]) -> tuple[list[str], list[list], list[str]]:
    """``rows`` (tuples of the values of ``fields``) as one array a column, for a statement that reads
    them with ``unnest(…)``: the quoted columns, the arrays (each value as the database takes it) and
    each array's placeholder with its cast (``%s::numeric(5, 2)[]``)."""
    columns, arrays, casts = [], [], []
    for index, name in enumerate(fields):
        field = model._meta.get_field(name)
        values = _prepared(field, [row[index] for row in rows])
        if field.get_internal_type() == "JSONField":
            values = [None if v is None else json.dumps(getattr(v, "adapted", v)) for v in values]
        columns.append(f'"{field.column}"')
        arrays.append(values)
        casts.append(f"%s::{field.db_type(connection)}[]")
    return columns, arrays, casts


def hold(key: str) -> None:
    """Hold ``key`` (any string naming one thing: a budget, a period's computation) until the end of the
    transaction: whoever holds the same key waits (a PostgreSQL advisory lock; nothing is written)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


@contextmanager
def aggregate_memory():
    """Let a set-based computation's aggregates hash in memory (``settings.PRM_COMPUTE_WORK_MEM``).

    With PostgreSQL's default ``work_mem`` (4 MB) a GROUP BY over a year of sales for 100 000
    partners cannot hash, and the planner walks the (tenant, partner, date) index instead, reading
    ten million rows in random order: 39 s against 4.6 s hashed, measured at the large bench size.
    Asked of every transaction of this connection while the block runs (set with the tenant scope,
    local to each transaction: ``prm.tenancy.dbscope``), then no longer.
    """
    before = connection.prm_work_mem
    connection.prm_work_mem = settings.PRM_COMPUTE_WORK_MEM
    try:
        yield
    finally:
        connection.prm_work_mem = before


def set_unlogged(table: str):
    """A migration operation that makes ``table`` UNLOGGED: for the
    tables that keep a computation's ranges aside for its minutes (a crash empties the table, and
    the computation that wrote them is gone with it anyway), no write-ahead log."""

    def forwards(apps, schema_editor):
        schema_editor.execute(f'ALTER TABLE "{table}" SET UNLOGGED')

    return migrations.RunPython(forwards, migrations.RunPython.noop)

"""What would block distributing the tenant tables by ``tenant_id`` (Citus), read from the catalogue.

A distributed table's primary key, unique constraints and unique indexes must include the
distribution column, and a foreign key between two distributed tables must include it on both
sides. Tables without a ``tenant_id`` column (tenants, users, sessions, the rate table) would be
reference tables, copied to every node: a foreign key from a tenant table to one of those blocks
nothing. ``blockers()`` lists every key of a tenant table that breaks one of those rules;
``manage.py distribution_keys`` prints them and docs/scale-out.md carries the counts.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from django.db import connection

KINDS = {
    "p": "primary key",
    "u": "unique constraint",
    "i": "unique index",
    "f": "foreign key to a tenant table",
}

_SQL = """
WITH tenant_tables AS (
    SELECT c.oid, c.relname
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
     WHERE n.nspname = COALESCE(%(schema)s, current_schema()) AND c.relkind IN ('r', 'p')
), keys AS (
    SELECT t.relname AS tbl, con.conname AS name, con.contype::text AS kind,
           con.conkey AS cols, con.conrelid AS rel, con.confrelid AS refrel
      FROM pg_constraint con
      JOIN tenant_tables t ON t.oid = con.conrelid
     WHERE con.contype IN ('p', 'u', 'f')
    UNION ALL
    SELECT t.relname, ic.relname, 'i', i.indkey::int2[], i.indrelid, 0
      FROM pg_index i
      JOIN tenant_tables t ON t.oid = i.indrelid
      JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indisunique AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c2 WHERE c2.conindid = i.indexrelid)
)
SELECT k.kind, k.tbl, k.name,
       (SELECT string_agg(a.attname, ', ' ORDER BY a.attnum)
          FROM pg_attribute a WHERE a.attrelid = k.rel AND a.attnum = ANY(k.cols)) AS columns
  FROM keys k
 WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                    WHERE a.attrelid = k.rel AND a.attnum = ANY(k.cols) AND a.attname = 'tenant_id')
   AND NOT (k.kind = 'f' AND k.refrel NOT IN (SELECT oid FROM tenant_tables))
 ORDER BY k.kind, k.tbl, k.name
"""


class Blocker(NamedTuple):
    kind: str  # a key of KINDS
    table: str
    name: str
    columns: str


def tenant_table_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND column_name = 'tenant_id'"
        )
        return cursor.fetchone()[0]


def blockers(schema: str | None = None) -> list[Blocker]:
    """Every key of a tenant table of ``schema`` (the current one) that does not include
    ``tenant_id`` (see the module docstring)."""
    with connection.cursor() as cursor:
        cursor.execute(_SQL, {"schema": schema})
        return [Blocker(*row) for row in cursor.fetchall()]


def summary(found: list[Blocker]) -> dict[str, int]:
    """``{kind's words: count}`` in the order of ``KINDS``, every kind present (0 when none)."""
    counts = Counter(blocker.kind for blocker in found)
    return {words: counts[kind] for kind, words in KINDS.items()}

"""The pooler in front of PostgreSQL (PgBouncer in transaction mode, ``docs/deployment.md``), as tools
that drop a database see it: its server connections keep the database open until told to close them.
"""

from __future__ import annotations

import psycopg2


def close_pooled(host: str, port: int | str, admin: str, database: str) -> None:
    """Have the PgBouncer at ``host:port`` close its server connections to ``database`` (its admin
    console, as ``admin``: one of its ``admin_users``): ``KILL``, then ``RESUME`` so that clients may
    connect again. A database is dropped only once nothing holds it open; the test teardown and the
    bench call this first."""
    pooler = psycopg2.connect(host=host, port=port, user=admin, dbname="pgbouncer")
    pooler.autocommit = True
    try:
        with pooler.cursor() as cursor:
            cursor.execute(f'KILL "{database}"')
            cursor.execute(f'RESUME "{database}"')
    finally:
        pooler.close()

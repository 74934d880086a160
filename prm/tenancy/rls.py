"""PostgreSQL row-level security: the second wall behind the scoped managers.

After every ``migrate`` each table of a ``TenantOwned`` model gets RLS
enabled and forced, with one policy that admits a row when its ``tenant_id``
is the connection's ``app.tenant_id`` (set by ``tenancy.context``) or when
the block runs under ``cross_tenant()``. New tables are covered without
anyone writing a migration for it.

The policy binds roles that are not superusers and do not have BYPASSRLS:
run the application as such a role in production (see docs/deployment.md).
"""

from django.apps import apps
from django.db import connections

from .scoping import TenantOwned

POLICY = "tenant_isolation"

_CONDITION = (
    "current_setting('app.cross_tenant', true) = 'on' OR "
    "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::bigint"
)


def tenant_owned_models() -> list:
    """Every concrete model that belongs to a tenant, by label."""
    models = (m for m in apps.get_models() if issubclass(m, TenantOwned) and not m._meta.proxy)
    return sorted(models, key=lambda m: m._meta.label)


def tenant_owned_tables() -> list[str]:
    return [model._meta.db_table for model in tenant_owned_models()]


def statements_for(table: str) -> list[str]:
    quoted = f'"{table}"'
    return [
        f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {quoted}",
        f"CREATE POLICY {POLICY} ON {quoted} USING ({_CONDITION}) WITH CHECK ({_CONDITION})",
    ]


def apply_row_level_security(using="default", **kwargs):
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in tenant_owned_tables():
            if table in existing:
                for statement in statements_for(table):
                    cursor.execute(statement)

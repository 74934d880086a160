"""PostgreSQL row-level security: the second wall behind the scoped managers.

After every ``migrate``, run as the role that owns the tables, this module
(re)creates:

- ``prm_private.rls_key``: the key signatures are checked with, in a schema
  no other role may use, so the web role can neither read nor change it;
- ``prm_current_tenant()``: a ``SECURITY DEFINER`` function that answers the
  tenant id in ``app.tenant_id`` only when ``app.tenant_sig`` is its HMAC
  under that key (``dbscope.py`` signs), and NULL otherwise;
- on each table of a ``TenantOwned`` model: RLS enabled and forced, and one
  policy admitting a row when ``tenant_id = (SELECT prm_current_tenant())``
  (a sub-select, so the function runs once per statement and the tenant
  index is still used). There is no clause that opens every tenant;
- the grants of the other roles configured for the same database (the web
  role of ``default``, the operations role): read and write rows, nothing
  more. They own nothing, so they cannot alter a table or its policy.

New tables are covered without anyone writing a migration for it. The
policies bind roles that are neither superusers nor ``BYPASSRLS``: the web
role must be such a role (see docs/deployment.md).
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import connections, transaction

from .dbscope import rls_key
from .routers import same_database
from .scoping import TenantOwned

logger = logging.getLogger(__name__)

POLICY = "tenant_isolation"
KEY_SCHEMA = "prm_private"
FUNCTION = "public.prm_current_tenant"
USER_FUNCTION = "public.prm_current_user"
CONDITION = f"tenant_id = (SELECT {FUNCTION}())"


def _signed_id_function(name: str, setting: str, prefix: str) -> str:
    """``name()``: the id in ``app.<setting>_id`` when ``app.<setting>_sig`` is its HMAC, else NULL.

    HMAC-SHA256 by its definition, H((K ^ opad) || H((K ^ ipad) || message)), with
    the two padded keys stored; only built-in functions, no extension needed.
    """
    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
      SELECT CASE
        WHEN s.sig = encode(sha256(k.opad || sha256(k.ipad || convert_to('{prefix}' || s.v, 'UTF8'))), 'hex')
        THEN s.v::bigint
      END
      FROM (SELECT NULLIF(current_setting('app.{setting}_id', true), '') AS v,
                   current_setting('app.{setting}_sig', true) AS sig) AS s
      CROSS JOIN {KEY_SCHEMA}.rls_key AS k
    $$
    """


_SETUP = [
    f"CREATE SCHEMA IF NOT EXISTS {KEY_SCHEMA}",
    f"REVOKE ALL ON SCHEMA {KEY_SCHEMA} FROM PUBLIC",
    f"CREATE TABLE IF NOT EXISTS {KEY_SCHEMA}.rls_key "
    "(id integer PRIMARY KEY CHECK (id = 1), ipad bytea NOT NULL, opad bytea NOT NULL)",
    f"REVOKE ALL ON {KEY_SCHEMA}.rls_key FROM PUBLIC",
    _signed_id_function(FUNCTION, "tenant", prefix=""),
    f"REVOKE ALL ON FUNCTION {FUNCTION}() FROM PUBLIC",
    # the same for the user of the moment ("u" + id is what is signed), for their own memberships
    _signed_id_function(USER_FUNCTION, "user", prefix="u"),
    f"REVOKE ALL ON FUNCTION {USER_FUNCTION}() FROM PUBLIC",
]

#: Tables with a tenant column that are not ``TenantOwned`` models, and what else a row may be read by.
#: A membership is also read by its own user before a tenant is chosen (the switcher, /tenants/).
EXTRA_TABLES = {"tenancy_membership": f"user_id = (SELECT {USER_FUNCTION}())"}


def tenant_owned_models() -> list:
    """Every concrete model that belongs to a tenant, by label."""
    models = (m for m in apps.get_models() if issubclass(m, TenantOwned) and not m._meta.proxy)
    return sorted(models, key=lambda m: m._meta.label)


def tenant_owned_tables() -> list[str]:
    return [model._meta.db_table for model in tenant_owned_models()]


def rls_tables() -> dict[str, str | None]:
    """Every table behind the wall: {table: an extra read condition or None}."""
    return {**dict.fromkeys(tenant_owned_tables()), **EXTRA_TABLES}


def statements_for(table: str, also_readable_when: str | None = None) -> list[str]:
    quoted = f'"{table}"'
    using = CONDITION if also_readable_when is None else f"{CONDITION} OR {also_readable_when}"
    return [
        f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {quoted}",
        f"CREATE POLICY {POLICY} ON {quoted} USING ({using}) WITH CHECK ({CONDITION})",
    ]


def _padded_keys() -> tuple[bytes, bytes]:
    key = rls_key().ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def other_roles(using: str) -> list[str]:
    """The roles of the other aliases that reach the same database (web, operations)."""
    here = connections[using].settings_dict
    roles = set()
    for alias in connections:
        other = connections[alias].settings_dict
        if same_database(other, here):
            if other.get("USER") and other["USER"] != here.get("USER"):
                roles.add(other["USER"])
    return sorted(roles)


def grant_statements(role: str) -> list[str]:
    quoted = '"' + role.replace('"', '""') + '"'
    return [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"GRANT EXECUTE ON FUNCTION {FUNCTION}() TO {quoted}",
        f"GRANT EXECUTE ON FUNCTION {USER_FUNCTION}() TO {quoted}",
    ]


def owns_the_tables(cursor) -> bool:
    """True for the role that owns the schema's tables (or a superuser): the one that may set RLS up."""
    cursor.execute(
        "SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables "
        "WHERE schemaname = 'public' AND tablename = 'django_migrations'"
    )
    row = cursor.fetchone()
    return bool(row and row[0])


def apply_row_level_security(using="default", **kwargs):
    """post_migrate: key, function, policies and grants, as the owner role."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if not owns_the_tables(cursor):
            # e.g. a test flush run as the web role: it may not, and need not, change anything
            logger.debug("row-level security left as it is: %s does not own the tables", using)
            return
        for statement in _SETUP:
            cursor.execute(statement)
        ipad, opad = _padded_keys()
        cursor.execute(
            f"INSERT INTO {KEY_SCHEMA}.rls_key (id, ipad, opad) VALUES (1, %s, %s) "
            "ON CONFLICT (id) DO UPDATE SET ipad = EXCLUDED.ipad, opad = EXCLUDED.opad",
            [ipad, opad],
        )
        for table, also in rls_tables().items():
            if table in existing:
                # one transaction a table: readers of the previous code wait a moment, never meet
                # the table between its old policy's drop and its new one (no rows at all)
                with transaction.atomic(using=using):
                    for statement in statements_for(table, also):
                        cursor.execute(statement)
        for role in other_roles(using):
            for statement in grant_statements(role):
                cursor.execute(statement)


def grant_role(role: str, using="default") -> None:
    """Grant a role the web role's rights (read and write rows), e.g. for a role made later."""
    with connections[using].cursor() as cursor:
        for statement in grant_statements(role):
            cursor.execute(statement)

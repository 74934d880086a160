"""The database side of the tenant scope: every statement runs under the scope of its moment.

Our PostgreSQL backend (``prm.tenancy.postgresql``) calls ``sync_scope``
before each statement it sends. The scope lives in settings local to the
transaction (``set_config(…, true)``): ``app.tenant_id`` and
``app.tenant_sig`` (and the user's pair) equal to the Python scope
(``tenancy.context``) of that moment, and gone when the transaction ends.
Nothing is left on the session, so a connection handed from one request or
task to the next, by Django or by a pooler in transaction mode (PgBouncer,
``docs/deployment.md``), carries no tenant over: an exception, a streamed
response or a failed task leaves nothing behind.

- Inside a transaction (an ``atomic`` block, a request, a job step) the
  settings are written when the transaction's first statement needs them and
  again only when the scope changes: one extra round trip per transaction.
- A statement in autocommit with a scope to carry is sent in a transaction of
  its own (``BEGIN`` with the settings, the statement, ``COMMIT``): correct
  anywhere, two extra round trips, so work with many statements runs in an
  ``atomic`` block.

``app.tenant_sig`` is an HMAC of the tenant id with a key derived from
``SECRET_KEY``. The row-level security policies admit a tenant only when the
signature matches (``rls.py`` keeps the key where the web role cannot read
it), so SQL that sets ``app.tenant_id`` by hand, an injection say, sees no
rows at all. There is no setting that opens every tenant: work across
tenants uses a separate connection (``routers.py``).

``work_mem`` travels the same way: a computation that asks for more memory
for its aggregates (``prm.sql.aggregate_memory``) has it set in each of its
transactions, never on the session a pooler would hand to someone else.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings

from .context import current_scope, current_user_id

#: (app.tenant_id, app.tenant_sig, app.user_id, app.user_sig, work_mem) of a transaction with
#: nothing set: no tenant, no user, the server's own work_mem.
NO_TENANT = ("", "", "", "", "")

_SCOPE_SQL = (
    "SELECT set_config('app.tenant_id', %s, true), set_config('app.tenant_sig', %s, true), "
    "set_config('app.user_id', %s, true), set_config('app.user_sig', %s, true)"
)
_WORK_MEM_SQL = ", set_config('work_mem', %s, true)"


@lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"prm.tenancy.rls", hashlib.sha256).digest()


def rls_key() -> bytes:
    """The key the policies check signatures with (32 bytes, derived from SECRET_KEY)."""
    return _key(settings.SECRET_KEY)


def tenant_signature(tenant_id: int) -> str:
    return hmac.new(rls_key(), str(tenant_id).encode(), hashlib.sha256).hexdigest()


def user_signature(user_id: int) -> str:
    """Signed apart from tenants ("u" prefix): a user's signature never admits a tenant."""
    return hmac.new(rls_key(), f"u{user_id}".encode(), hashlib.sha256).hexdigest()


def settings_for(tenant_id: int | None, user_id: int | None = None, work_mem: str = "") -> tuple[str, ...]:
    """(app.tenant_id, app.tenant_sig, app.user_id, app.user_sig, work_mem) admitting ``tenant_id`` and
    ``user_id`` (``work_mem`` "": the server's own)."""
    tenant = ("", "") if tenant_id is None else (str(tenant_id), tenant_signature(tenant_id))
    user = ("", "") if user_id is None else (str(user_id), user_signature(user_id))
    return (*tenant, *user, work_mem)


def wanted(connection) -> tuple[str, ...]:
    """The settings the current scope asks of ``connection``'s transaction."""
    return settings_for(current_scope().tenant_id, current_user_id(), connection.prm_work_mem or "")


def set_sql(scope: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The statement (and its parameters) that writes ``scope`` into the current transaction."""
    if scope[4]:
        return _SCOPE_SQL + _WORK_MEM_SQL, scope
    return _SCOPE_SQL, scope[:4]


def sync_scope(connection, scope: tuple[str, ...]) -> None:
    """Make the settings of ``connection``'s open transaction match ``scope`` (one statement at
    most: none when the transaction holds them already).

    A rollback (of the transaction or to a savepoint) may undo what was written; the backend
    forgets what it knows then (``scope_unknown``), so the next statement writes it again.
    """
    if connection.prm_db_scope == scope or connection.needs_rollback:
        return  # (a broken transaction: let Django refuse the statement with its own error)
    sql, params = set_sql(scope)
    with connection.wrap_database_errors:
        raw = connection.connection.cursor()  # the driver's own cursor: no wrappers, no recursion
        try:
            raw.execute(sql, params)
        finally:
            raw.close()
    connection.prm_db_scope = scope

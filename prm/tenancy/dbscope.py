"""The database side of the tenant scope: every statement runs under the scope of its moment.

Our PostgreSQL backend (``prm.tenancy.postgresql``) calls ``sync_scope``
before each statement it sends. It makes the session settings
``app.tenant_id`` and ``app.tenant_sig`` equal to the Python scope
(``tenancy.context``) of that moment, so a reused connection can never carry
one request's or task's tenant into the next: an exception, a streamed
response or a failed task leaves the Python scope, and the next statement
takes the connection with it. The settings are only written when they differ
from what the connection holds, so a run of statements for one tenant costs
one extra round trip, not one per statement.

``app.tenant_sig`` is an HMAC of the tenant id with a key derived from
``SECRET_KEY``. The row-level security policies admit a tenant only when the
signature matches (``rls.py`` keeps the key where the web role cannot read
it), so SQL that sets ``app.tenant_id`` by hand, an injection say, sees no
rows at all. There is no setting that opens every tenant: work across
tenants uses a separate connection (``routers.py``).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings

from .context import current_scope, current_user_id

NO_TENANT = ("", "", "", "")

SET_SCOPE_SQL = (
    "SELECT set_config('app.tenant_id', %s, false), set_config('app.tenant_sig', %s, false), "
    "set_config('app.user_id', %s, false), set_config('app.user_sig', %s, false)"
)


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


def settings_for(tenant_id: int | None, user_id: int | None = None) -> tuple[str, str, str, str]:
    """(app.tenant_id, app.tenant_sig, app.user_id, app.user_sig) admitting ``tenant_id`` and ``user_id``."""
    tenant = ("", "") if tenant_id is None else (str(tenant_id), tenant_signature(tenant_id))
    user = ("", "") if user_id is None else (str(user_id), user_signature(user_id))
    return (*tenant, *user)


def sync_scope(connection) -> None:
    """Make the connection's session settings match the current scope (one statement at most).

    A ``set_config`` made inside a transaction is undone by its rollback; the
    backend forgets what it wrote on every rollback (``scope_unknown``), so
    the next statement writes it again.
    """
    wanted = settings_for(current_scope().tenant_id, current_user_id())
    if connection.prm_db_scope == wanted or connection.needs_rollback:
        return  # (a broken transaction: let Django refuse the statement with its own error)
    with connection.wrap_database_errors:
        raw = connection.connection.cursor()  # the driver's own cursor: no wrappers, no recursion
        try:
            raw.execute(SET_SCOPE_SQL, wanted)
        finally:
            raw.close()
    connection.prm_db_scope = wanted

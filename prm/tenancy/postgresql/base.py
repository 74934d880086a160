"""Django's PostgreSQL backend, with the tenant scope carried onto every statement.

Set as the ``ENGINE`` of every PostgreSQL alias in ``prm/settings/database.py``.
Before any statement runs, the scope of the moment (``dbscope.wanted``) is
written into the settings of the statement's transaction
(``dbscope.sync_scope``). What the transaction holds is remembered per
connection and forgotten when it ends (commit, rollback) or may have changed
(a savepoint rollback). A statement sent in autocommit with a scope to carry
gets a transaction of its own. Nothing is ever set on the session, so the
backend works the same through PgBouncer in transaction mode
(``docs/deployment.md``) as on a direct connection.
"""

from django.db.backends.postgresql import base

from .. import dbscope

_TRANSACTION_CONTROL = ("SAVEPOINT ", "ROLLBACK TO SAVEPOINT ", "RELEASE SAVEPOINT ")
# statements PostgreSQL refuses inside a transaction block (never tenant data): sent as they are
_OUTSIDE_TRANSACTIONS = ("VACUUM", "CREATE DATABASE", "DROP DATABASE", "CREATE INDEX CONCURRENTLY", "REINDEX")


class DatabaseWrapper(base.DatabaseWrapper):
    #: What the open transaction's settings are known to hold; None when unknown.
    prm_db_scope: tuple[str, ...] | None = dbscope.NO_TENANT
    #: The ``work_mem`` each transaction of this connection asks for ("" or None: the server's).
    prm_work_mem: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._scope_wrapper)

    def _scope_wrapper(self, execute, sql, params, many, context):
        if isinstance(sql, str) and sql.startswith(_TRANSACTION_CONTROL):
            # savepoint statements read no rows, and must run even in an aborted transaction
            return execute(sql, params, many, context)
        scope = dbscope.wanted(self)
        if not self.autocommit:
            dbscope.sync_scope(self, scope)
            return execute(sql, params, many, context)
        if scope == dbscope.NO_TENANT or (
            isinstance(sql, str) and sql.lstrip().upper().startswith(_OUTSIDE_TRANSACTIONS)
        ):
            return execute(sql, params, many, context)
        return self._in_own_transaction(scope, execute, sql, params, many, context)

    def _in_own_transaction(self, scope, execute, sql, params, many, context):
        """One statement in autocommit, in a transaction of its own that carries ``scope``."""
        setting, setting_params = dbscope.set_sql(scope)
        with self.wrap_database_errors:
            raw = self.connection.cursor()  # the driver's own cursor: no wrappers, no recursion
        try:
            with self.wrap_database_errors:
                raw.execute("BEGIN; " + setting, setting_params)
            try:
                result = execute(sql, params, many, context)
            except BaseException:
                try:
                    raw.execute("ROLLBACK")
                except Exception:  # a broken connection: the statement's own error says more
                    pass
                raise
            with self.wrap_database_errors:
                raw.execute("COMMIT")
            return result
        finally:
            raw.close()

    def chunked_cursor(self):
        """``QuerySet.iterator()``'s cursor: a server-side cursor inside a transaction, where it lives
        and dies with the transaction; outside one, a plain cursor (the result read at once, as with
        ``DISABLE_SERVER_SIDE_CURSORS``). Django would declare a cursor ``WITH HOLD`` there and fetch
        from it in later transactions, which a pooler in transaction mode may send to another server
        connection. (Rendering a form's model choices after the view's transaction, say.) A loop
        over many rows runs inside ``transaction.atomic()`` to keep its memory bounded.
        """
        if self.autocommit:
            return self.cursor()
        return super().chunked_cursor()

    def scope_unknown(self):
        self.prm_db_scope = None

    def _scope_ended(self):
        self.prm_db_scope = dbscope.NO_TENANT

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        self._scope_ended()  # a new session: no transaction, nothing set
        return connection

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._scope_ended()

    # After the rollback, not before: the ROLLBACK itself must not wait for a sync
    # that an aborted transaction would refuse.
    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._scope_ended()

    def _savepoint_rollback(self, sid):
        try:
            return super()._savepoint_rollback(sid)
        finally:
            self.scope_unknown()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._scope_ended()

"""Django's PostgreSQL backend, with the tenant scope carried onto every statement.

Set as the ``ENGINE`` of every PostgreSQL alias in ``prm/settings.py``.
Before any statement runs, ``dbscope.sync_scope`` brings the session's
``app.tenant_id``/``app.tenant_sig`` in line with the Python scope. What the
session holds is remembered per connection and forgotten when it may have
changed behind our back: a new connection, a rollback, a savepoint rollback.
"""

from django.db.backends.postgresql import base

from .. import dbscope

_TRANSACTION_CONTROL = ("SAVEPOINT ", "ROLLBACK TO SAVEPOINT ", "RELEASE SAVEPOINT ")


class DatabaseWrapper(base.DatabaseWrapper):
    #: What the session's settings are known to hold; None when unknown.
    prm_db_scope: tuple[str, ...] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._scope_wrapper)

    def _scope_wrapper(self, execute, sql, params, many, context):
        # savepoint statements read no rows, and must run even in an aborted transaction
        if not (isinstance(sql, str) and sql.startswith(_TRANSACTION_CONTROL)):
            dbscope.sync_scope(self)
        return execute(sql, params, many, context)

    def scope_unknown(self):
        self.prm_db_scope = None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        self.prm_db_scope = dbscope.NO_TENANT  # a new session starts with the settings empty
        return connection

    # After the rollback, not before: the ROLLBACK itself must not wait for a sync
    # that an aborted transaction would refuse.
    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self.scope_unknown()

    def _savepoint_rollback(self, sid):
        try:
            return super()._savepoint_rollback(sid)
        finally:
            self.scope_unknown()

    def _close(self):
        try:
            return super()._close()
        finally:
            self.scope_unknown()

"""Where queries go: the operations connection for work across tenants, else the default.

``DATABASES["operations"]`` (from ``DATABASE_OPERATIONS_URL``) connects as a
role that may cross tenants (``BYPASSRLS``). Only code inside
``tenancy.context.cross_tenant()`` reaches it: the operators' admin and
provisioning. Without that alias everything uses ``default``.
"""

from django.conf import settings

from .context import current_scope

OPERATIONS = "operations"
OWNER = "owner"


def same_database(x: dict, y: dict) -> bool:
    """Whether two aliases' settings reach the same database: by engine and name, since the web role
    may go through a pooler (another host or port, docs/deployment.md) while the owner and the
    operations role connect to PostgreSQL itself."""
    return all(x.get(key) == y.get(key) for key in ("ENGINE", "NAME"))


def has_operations_connection() -> bool:
    return OPERATIONS in settings.DATABASES


class TenancyRouter:
    def _route(self):
        if current_scope().cross_tenant and has_operations_connection():
            return OPERATIONS
        return None

    def db_for_read(self, model, **hints):
        return self._route()

    def db_for_write(self, model, **hints):
        return self._route()

    def allow_relation(self, obj1, obj2, **hints):
        # every alias reaches the same database, under different roles
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # migrations run as the owner (or default); the operations role owns nothing
        return db != OPERATIONS

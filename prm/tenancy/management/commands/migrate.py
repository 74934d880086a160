"""``migrate`` runs as the owner of the tables when ``DATABASE_OWNER_URL`` is set.

Django's command, with one change: asked to migrate ``default`` while an
``owner`` alias reaches the same database, it migrates through ``owner``.
The web role then owns nothing it could alter; after the migration the
owner sets up row-level security and grants the web and operations roles
their rights (``tenancy.rls``).
"""

from django.core.management.commands import migrate
from django.db import DEFAULT_DB_ALIAS, connections

from prm.tenancy.routers import OWNER, same_database


class Command(migrate.Command):
    def handle(self, *args, **options):
        if (
            options["database"] == DEFAULT_DB_ALIAS
            and OWNER in connections.settings
            and same_database(connections[DEFAULT_DB_ALIAS].settings_dict, connections[OWNER].settings_dict)
        ):
            options["database"] = OWNER
        return super().handle(*args, **options)

"""``manage.py check --database default``: is the database's tenant wall set up for this SECRET_KEY?"""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError, connections

from .context import tenant_context

PROBE_TENANT = 0  # no tenant has id 0; a signature for it proves the key matches


@register(Tags.database)
def row_level_security_key(app_configs=None, databases=None, **kwargs):
    messages = []
    for alias in databases or []:
        if alias != "default":
            continue
        connection = connections[alias]
        try:
            with tenant_context(PROBE_TENANT), connection.cursor() as cursor:
                cursor.execute("SELECT public.prm_current_tenant()")
                admitted = cursor.fetchone()[0]
        except DatabaseError:
            messages.append(
                Warning(
                    "Row-level security is not set up in this database.",
                    hint="Run `manage.py migrate` (as the owner role, see docs/deployment.md).",
                    id="tenancy.W001",
                )
            )
            continue
        if admitted != PROBE_TENANT:
            messages.append(
                Warning(
                    "The database's row-level security key does not match this SECRET_KEY: "
                    "the web role will see no tenant's rows.",
                    hint="Run `manage.py migrate` with this SECRET_KEY; it stores the matching key.",
                    id="tenancy.W002",
                )
            )
    return messages

"""The database: PostgreSQL only, as three roles."""

from django.core.exceptions import ImproperlyConfigured

from prm import devdb

from .base import env

# --- database -------------------------------------------------------------
# Three roles in production (docs/deployment.md), each its own URL:
# DATABASE_URL            the web role: no superuser, no BYPASSRLS; every
#                         process connects as it (web, workers, beat);
# DATABASE_OPERATIONS_URL the operations role (BYPASSRLS), used only inside
#                         tenancy.context.cross_tenant() (operators' admin);
# DATABASE_OWNER_URL      the owner of the tables; `migrate` runs as it.
# With DATABASE_URL alone (a developer's superuser) everything uses it.
# Without DATABASE_URL: the three URLs of the embedded PostgreSQL that
# `make demo` and `make test` start (prm/devdb.py, data in .pgdata/).
_URLS = (
    {
        name: env(name, default="")
        for name in ("DATABASE_URL", "DATABASE_OWNER_URL", "DATABASE_OPERATIONS_URL")
    }
    if env("DATABASE_URL", default="")
    else devdb.urls()
)
if not _URLS.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. PRM runs on PostgreSQL only: set "
        "DATABASE_URL=postgres://user:password@host:5432/prm (docs/deployment.md), or start the "
        "embedded PostgreSQL with `make demo`, `make test` or `python -m prm.devdb start`."
    )
DATABASES = {}
for _alias, _variable in (
    ("default", "DATABASE_URL"),
    ("operations", "DATABASE_OPERATIONS_URL"),
    ("owner", "DATABASE_OWNER_URL"),
):
    if not _URLS.get(_variable):
        continue
    _scheme, _separator, _rest = _URLS[_variable].partition("://")
    try:
        _database = DATABASES[_alias] = env.db_url_config(_URLS[_variable])
    except (ImproperlyConfigured, KeyError, ValueError):
        _database = {}
    if _database.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"{_variable} is not a PostgreSQL URL ({_scheme + _separator if _separator else 'no scheme'}). "
            "PRM runs on PostgreSQL only: "
            f"set {_variable}=postgres://user:password@host:5432/prm (docs/deployment.md)."
        )
    # Django's backend plus the tenant scope on every statement (prm/tenancy/dbscope.py)
    _database["ENGINE"] = "prm.tenancy.postgresql"
    _database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    _database.setdefault("TEST", {})
    if env("TEST_DATABASE_NAME", default=""):
        _database["TEST"]["NAME"] = env("TEST_DATABASE_NAME")
DATABASE_ROUTERS = ["prm.tenancy.routers.TenancyRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

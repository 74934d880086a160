"""Shared fixtures: tenants, people in every role, API clients, and the service gates.

Every test runs on PostgreSQL (``DATABASE_URL``, or the embedded one that
``make test`` starts). Tests marked ``services``, ``web_role`` or ``browser``
need more real parts. Where those are missing they skip with the reason; with
``PRM_REQUIRE_SERVICES=1`` (as ``.ci/run`` sets) they fail instead, so CI can
never skip them silently. ``postgres`` marks tests of PostgreSQL's own
features (triggers, row-level security, SQL); it needs nothing more.
"""

import contextlib
import os
import shutil
import socket

import boto3
import pytest
import redis
from django.conf import settings
from django.db import connection, connections
from django.utils import translation
from moto.server import ThreadedMotoServer
from rest_framework.test import APIClient

from prm.celery import app as celery_app
from prm.ops.pooler import close_pooled
from prm.tenancy.choices import Role
from prm.tenancy.rls import grant_role

from .factories import MembershipFactory, PartnerFactory, PartnerUserFactory, TenantFactory

REQUIRE_SERVICES = os.environ.get("PRM_REQUIRE_SERVICES") == "1"


def _redis_reachable() -> bool:
    if not settings.REDIS_URL:
        return False
    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping())
    except Exception:
        return False


def _connects_as_web_role() -> bool:
    """True when the tests connect as a role other than the tables' owner (see below)."""

    return "owner" in connections.settings and "operations" in connections.settings


def _missing(marker: str) -> str | None:
    """Why a test with this marker cannot run here, or None."""
    if marker == "web_role" and not _connects_as_web_role():
        return (
            "needs the tests connected as the web role, bound by row-level security: "
            "set DATABASE_OWNER_URL and DATABASE_OPERATIONS_URL as .ci/run does"
        )
    if marker == "services" and not _redis_reachable():
        return "needs Redis for a real Celery worker: set REDIS_URL=redis://..."
    if marker == "browser":
        if not os.path.exists("/usr/bin/chromium"):
            return "needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
        try:
            import playwright  # noqa: F401, PLC0415  (optional: only the browser tests need it)
        except ImportError:
            return "needs the playwright package (pip install -r requirements-dev.txt)"
    return None


#: The files that take minutes (the walks, the backup and upgrade runs, the real workers, the
#: browser crawls) start first: ``make test`` hands whole files to its processes in collection
#: order (``--dist loadfile``), so a long file met at the end would leave one process alone.
SLOW_FIRST = (
    "tests/walk/test_programme_walk.py",
    "tests/walk/",
    "tests/ops/test_backup.py",
    "tests/ops/test_upgrade.py",
    "tests/jobs/test_worker.py",
    "tests/browser/test_layout.py",
    "tests/browser/test_main_pages.py",
)


def _slowness(item) -> int:
    path = item.nodeid.split("::", 1)[0]
    ranks = [rank for rank, prefix in enumerate(SLOW_FIRST) if path.startswith(prefix)]
    return ranks[0] if ranks else len(SLOW_FIRST)


def pytest_collection_modifyitems(items):
    items.sort(key=_slowness)  # stable: the order within each group is kept


def pytest_runtest_setup(item):
    for marker in ("services", "browser", "web_role"):
        if item.get_closest_marker(marker):
            reason = _missing(marker)
            if reason and REQUIRE_SERVICES:
                pytest.fail(f"PRM_REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
            if reason:
                pytest.skip(reason)


# --- the database roles: tests connect as the web role, as production does ------------
#
# With DATABASE_OWNER_URL set (as .ci/run sets it), the test database is made
# and migrated by the owner role, as `manage.py migrate` does in production;
# then every test connects as the web role of DATABASE_URL, which owns
# nothing and is bound by row-level security.


_ADDRESS = ("USER", "PASSWORD", "HOST", "PORT")


def _connect_default_as(role: dict) -> None:
    """Point the default connection at ``role``'s address (user, password, host, port)."""
    default = connections["default"]
    default.close()
    default.settings_dict.update({key: role.get(key, "") for key in _ADDRESS})


def _address(settings_dict) -> dict:
    return {key: settings_dict.get(key, "") for key in _ADDRESS}


_WEB_ROLE: dict = {}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):

    if "owner" in connections.settings:
        _WEB_ROLE.update(_address(connections["default"].settings_dict))
        # the owner makes the test database on its own address (straight to PostgreSQL when the
        # web role goes through a pooler: .ci/pgbouncer)
        _connect_default_as(_address(connections.settings["owner"]))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After the owner made the test database: grant the web role and connect as it."""
    if not _WEB_ROLE:
        yield
        return

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        grant_role(_WEB_ROLE["USER"])
        if "operations" in connections.settings:
            grant_role(connections.settings["operations"]["USER"])
        # Tests only: pytest empties tables between transactional tests with TRUNCATE.
        # Production never grants it (TRUNCATE is not subject to row-level security).
        cursor.execute(f'GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO "{_WEB_ROLE["USER"]}"')
    owner = _address(connection.settings_dict)
    _connect_default_as(_WEB_ROLE)
    yield
    _connect_default_as(owner)  # the owner drops the test database
    if (_WEB_ROLE["HOST"], _WEB_ROLE["PORT"]) != (owner["HOST"], owner["PORT"]):
        # the pooler's server connections would keep the test database from being dropped
        close_pooled(_WEB_ROLE["HOST"], _WEB_ROLE["PORT"], owner["USER"], connection.settings_dict["NAME"])


#: Cache keys of this run never meet those of an earlier run in a shared Redis (a rate-limit
#: counter left by another run, expiring mid-test, would make the limit look broken).
CACHE_PREFIX = f"test-{os.getpid()}-{os.urandom(4).hex()}"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: one that activated another (a French page, a PDF in
    its reader's language) must not leave it to the next test of the same process."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Plain HTTP to the test client and live server; fast password hashing; a cache of this test
    (the failed sign-ins counted per address, all from 127.0.0.1, never add up across tests)."""
    prefix = f"{CACHE_PREFIX}-{os.urandom(4).hex()}"
    settings.CACHES = {alias: {**config, "KEY_PREFIX": prefix} for alias, config in settings.CACHES.items()}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True, scope="session")
def _eager_celery():
    """Unit tests run tasks in-process; the worker tests switch this off themselves."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def tenant(db):
    return TenantFactory(slug="alpha", name="Alpha Robotics")


@pytest.fixture
def other_tenant(db):
    return TenantFactory(slug="beta", name="Beta Software", currency="USD")


@pytest.fixture
def member():
    """member(tenant, role) -> a user with that role in that tenant."""

    def make(tenant, role=Role.CHANNEL_MANAGER, **user_kwargs):
        membership = MembershipFactory(tenant=tenant, role=role, **_user(user_kwargs))
        return membership.user

    return make


def _user(user_kwargs):
    return {f"user__{key}": value for key, value in user_kwargs.items()}


@pytest.fixture
def partner_user():
    """partner_user(tenant, partner=None) -> a user of role partner linked to the partner."""

    def make(tenant, partner=None):
        partner = partner or PartnerFactory(tenant=tenant)
        link = PartnerUserFactory(tenant=tenant, partner=partner)
        return link.membership.user

    return make


@pytest.fixture
def api():
    """api(user=None) -> an APIClient, authenticated as ``user`` when given."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def web(client):
    """web(user) -> the Django test client logged in as ``user``."""

    def make(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture(scope="session")
def chromium_path():
    return shutil.which("chromium") or "/usr/bin/chromium"


# --- an S3-compatible server on loopback (moto's server mode) ------------------------


@contextlib.contextmanager
def s3_storage(settings):
    """Point the default storage at a fresh bucket on a local S3 server; yields the worker's env."""

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {
        "S3_BUCKET": "prm-files",
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "S3_REGION": "us-east-1",
    }
    boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    ).create_bucket(Bucket="prm-files")
    options = {
        "bucket_name": "prm-files",
        "endpoint_url": env["S3_ENDPOINT_URL"],
        "access_key": "test",
        "secret_key": "test",
        "region_name": "us-east-1",
        "default_acl": "private",
        "file_overwrite": False,
    }
    previous = settings.STORAGES
    settings.STORAGES = {
        **previous,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    try:
        yield env
    finally:
        settings.STORAGES = previous
        server.stop()

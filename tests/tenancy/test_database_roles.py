"""The database wall as production has it: the web role sees one tenant, whatever SQL it sends.

These tests run connected as the web role (as .ci/run does: owner, web and
operations roles, see docker/postgres-init.sql). They speak raw SQL on
purpose: the Python-side scoping is not what is tested here.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, connections, transaction

from partners.models import Partner
from prm.celery import app
from prm.jobs.models import Job
from prm.jobs.services import job_start
from prm.jobs.tasks import JobTask
from prm.tenancy.checks import row_level_security_key
from prm.tenancy.choices import Role
from prm.tenancy.context import cross_tenant, tenant_context, user_context
from prm.tenancy.dbscope import tenant_signature
from tests.factories import MembershipFactory, PartnerFactory, TenantFactory

pytestmark = [pytest.mark.web_role, pytest.mark.django_db]


def names(sql="SELECT name FROM partners_partner ORDER BY name", params=None) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def refusal(sql: str, params=None) -> str:
    """The database's error for the statement ("" when it ran)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return str(exc)
    return ""


@pytest.fixture
def two_tenants(tenant, other_tenant):
    PartnerFactory(tenant=tenant, name="Mine")
    PartnerFactory(tenant=other_tenant, name="Theirs")
    return tenant, other_tenant


def test_the_tests_connect_as_a_role_that_owns_nothing_and_bypasses_nothing():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolsuper, r.rolbypassrls, pg_has_role(current_user, t.tableowner, 'USAGE') "
            "FROM pg_roles r, pg_tables t WHERE r.rolname = current_user AND t.tablename = 'partners_partner'"
        )
        assert cursor.fetchone() == (False, False, False)


def test_raw_sql_sees_the_scopes_tenant_and_nothing_without_one(two_tenants):
    tenant, other = two_tenants
    assert names() == []
    with tenant_context(tenant):
        assert names() == ["Mine"]
        with tenant_context(other):
            assert names() == ["Theirs"]
        assert names() == ["Mine"]
    assert names() == []


@pytest.mark.parametrize(
    "forged",
    [
        "SELECT set_config('app.tenant_id', %(other)s, false)",
        "SELECT set_config('app.cross_tenant', 'on', false)",
        # a signature that is right, for another tenant
        "SELECT set_config('app.tenant_id', %(other)s, false), set_config('app.tenant_sig', %(sig)s, false)",
        "SELECT set_config('app.tenant_id', %(other)s || ' ', false), set_config('app.tenant_sig', %(sig)s, false)",
    ],
)
def test_settings_forged_by_hand_open_no_tenant(two_tenants, forged):
    tenant, other = two_tenants
    with tenant_context(tenant):
        params = {"other": str(other.pk), "sig": tenant_signature(tenant.pk)}
        with connection.cursor() as cursor:
            cursor.execute(forged, params)
            cursor.execute("SELECT name FROM partners_partner")
            assert cursor.fetchall() in ([], [("Mine",)])  # never "Theirs"


def test_rows_for_another_tenant_cannot_be_written(two_tenants):
    tenant, other = two_tenants
    with tenant_context(tenant):
        with connection.cursor() as cursor:  # a copy of our own row, then made the other tenant's
            cursor.execute("CREATE TEMP TABLE smuggled AS SELECT * FROM partners_partner")
            cursor.execute("UPDATE smuggled SET id = id + 100000, tenant_id = %s", [other.pk])
        assert "row-level security" in refusal("INSERT INTO partners_partner SELECT * FROM smuggled")
        assert "row-level security" in refusal("UPDATE partners_partner SET tenant_id = %s", [other.pk])
    with tenant_context(other):
        assert names() == ["Theirs"]


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE partners_partner DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE partners_partner NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY tenant_isolation ON partners_partner",
        "SELECT * FROM prm_private.rls_key",
        "UPDATE prm_private.rls_key SET ipad = ''",
        "CREATE OR REPLACE FUNCTION public.prm_current_tenant() RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint'",
        "SET ROLE prm_ops",
        "TRUNCATE prm_private.rls_key",
    ],
)
def test_the_web_role_cannot_take_the_wall_down(statement):
    error = refusal(statement)
    assert "permission denied" in error or "must be owner" in error


def test_a_reused_connection_carries_no_tenant_from_one_request_to_the_next(two_tenants, api, member):
    tenant, other = two_tenants
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    for each in (tenant, other):
        response = api(member(each, Role.ADMIN)).get(f"/api/v1/tenants/{each.slug}/partners/")
        assert response.status_code == 200
        # the same session, and nothing of the request's tenant left in it
        assert names("SELECT pg_backend_pid()::text") == [str(pid)]
        assert names() == []


def test_a_request_that_crashes_leaves_no_tenant_behind(two_tenants, api, member, monkeypatch):
    tenant, _ = two_tenants

    def explode(**kwargs):
        list(Partner.objects.all())  # the tenant reached the connection before the crash
        raise RuntimeError("boom")

    monkeypatch.setattr("partners.api.views.partners.selectors.partner_list", explode)
    with pytest.raises(RuntimeError):
        api(member(tenant, Role.ADMIN)).get(f"/api/v1/tenants/{tenant.slug}/partners/")
    assert names() == []


def test_rows_read_lazily_after_the_scope_ended_are_read_without_it(two_tenants):
    """A streamed response reads after its view returned: it gets the scope of that moment."""
    tenant, _ = two_tenants
    with tenant_context(tenant):
        assert names() == ["Mine"]

        def rows():
            yield from names()

        stream = rows()  # not read yet
    assert list(stream) == []


def test_a_failing_task_leaves_no_tenant_behind(two_tenants, member):

    tenant, _ = two_tenants

    @app.task(base=JobTask, name="tests.explodes", bind=False)
    def explodes(job, **params):
        assert [p.name for p in Partner.objects.all()] == ["Mine"]
        raise ValueError("the job went wrong")

    job = job_start(tenant=tenant, kind="tests", task=explodes, requested_by=member(tenant, Role.ADMIN))
    explodes.apply(kwargs={"tenant_id": tenant.pk, "job_id": job.pk})
    assert names() == []
    assert Job.objects.for_tenant(tenant).get(pk=job.pk).error.startswith("ValueError")


@pytest.mark.django_db(transaction=True, databases=["default", "operations"])
def test_work_across_tenants_runs_on_the_operations_connection():
    first, second = TenantFactory(slug="one"), TenantFactory(slug="two")
    PartnerFactory(tenant=first, name="First")
    PartnerFactory(tenant=second, name="Second")

    with cross_tenant():
        assert sorted(Partner.objects.values_list("name", flat=True)) == ["First", "Second"]
        assert Partner.objects.all().db == "operations"
    with connections["operations"].cursor() as cursor:
        cursor.execute("SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (True,)
    assert names() == []  # the web role still sees nothing


@pytest.mark.django_db(transaction=True, databases=["default", "operations"])
def test_an_operator_sees_every_tenant_in_the_admin(client):
    PartnerFactory(tenant=TenantFactory(slug="one"), name="First Partner")
    PartnerFactory(tenant=TenantFactory(slug="two"), name="Second Partner")
    operator = get_user_model().objects.create_superuser("operator", "op@example.com", "op-secret-1")
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/admin/partners/partner/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "First Partner" in html and "Second Partner" in html


def test_the_database_check_tells_when_the_key_does_not_match_the_secret_key(settings):

    assert row_level_security_key(databases=["default"]) == []
    settings.SECRET_KEY = "another-secret-key-than-the-one-migrate-stored-for-these-tests"
    assert [m.id for m in row_level_security_key(databases=["default"])] == ["tenancy.W002"]


def test_every_table_with_a_tenant_column_is_behind_the_policy():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id' "
            "AND table_schema = 'public'"
        )
        with_tenant = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tablename FROM pg_policies WHERE policyname = 'tenant_isolation'")
        covered = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity")
        forced = {row[0] for row in cursor.fetchall()}
    assert "tenancy_membership" in with_tenant
    assert with_tenant - covered == set()
    assert with_tenant - forced == set()


def test_memberships_are_read_in_their_tenant_or_by_their_own_user(tenant, other_tenant, member):

    consultant = member(tenant, Role.CHANNEL_MANAGER)
    MembershipFactory(user=consultant, tenant=other_tenant, role=Role.ADMIN)
    stranger = member(other_tenant, Role.FINANCE)
    sql = "SELECT tenant_id, user_id FROM tenancy_membership ORDER BY tenant_id, user_id"

    with tenant_context(tenant), connection.cursor() as cursor:
        cursor.execute(sql)
        assert cursor.fetchall() == [(tenant.pk, consultant.pk)]  # the tenant's own
    with user_context(consultant.pk), connection.cursor() as cursor:
        cursor.execute(sql)
        assert cursor.fetchall() == [(tenant.pk, consultant.pk), (other_tenant.pk, consultant.pk)]
    with user_context(consultant.pk), connection.cursor() as cursor:
        assert "row-level security" in refusal(  # a user scope writes nothing
            "INSERT INTO tenancy_membership (tenant_id, user_id, role, is_active, created_at) "
            "VALUES (%s, %s, 'admin', true, now())",
            [other_tenant.pk, stranger.pk],
        )
    assert names(sql) == []  # neither: nothing

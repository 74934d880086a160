"""Tenant-owned tables fail closed in Python, and in PostgreSQL through row-level security."""

import pytest
from django.db import connection

from partners.models import Partner
from prm.tenancy.context import TenantScopeError, current_scope, current_tenant_id, tenant_context
from prm.tenancy.rls import tenant_owned_tables
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_tenants_partners(tenant, other_tenant):
    PartnerFactory(tenant=tenant, name="Mine")
    PartnerFactory(tenant=other_tenant, name="Theirs")


def test_unscoped_queries_refuse_to_run(two_tenants_partners):
    queryset = Partner.objects.all()  # building is allowed (libraries do it at import)
    for run in (list, len, lambda q: q.count(), lambda q: q.exists(), lambda q: q.update(name="x")):
        with pytest.raises(TenantScopeError):
            run(queryset)


def test_unscoped_subquery_refuses_too(two_tenants_partners, tenant):
    # the inner queryset is made with no tenant in scope, then used inside one
    inner = Partner.objects.values("pk")
    with tenant_context(tenant), pytest.raises(TenantScopeError):
        list(Partner.objects.filter(pk__in=inner))


def test_scope_returns_only_the_tenants_rows_and_resets(two_tenants_partners, tenant, other_tenant):
    with tenant_context(tenant):
        assert [p.name for p in Partner.objects.all()] == ["Mine"]
        with tenant_context(other_tenant):
            assert [p.name for p in Partner.objects.all()] == ["Theirs"]
        assert current_tenant_id() == tenant.pk
    assert current_tenant_id() is None


def test_an_explicit_tenant_works_with_no_scope(two_tenants_partners, tenant):
    assert [p.name for p in Partner.objects.for_tenant(tenant)] == ["Mine"]


def test_every_domain_table_is_tenant_owned():
    tables = tenant_owned_tables()
    assert {"partners_partner", "partners_partneruser", "jobs_job", "audit_auditentry"} <= set(tables)


@pytest.mark.postgres
def test_policies_exist_on_every_tenant_owned_table():
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_policies WHERE policyname = 'tenant_isolation'")
        covered = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity")
        forced = {row[0] for row in cursor.fetchall()}
    assert set(tenant_owned_tables()) <= covered
    assert set(tenant_owned_tables()) <= forced


def test_a_crashing_api_view_does_not_leave_its_tenant_in_scope(api, tenant, member, monkeypatch):

    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("partners.api.views.partners.selectors.partner_list", explode)
    client = api(member(tenant, "admin"))
    with pytest.raises(RuntimeError):
        client.get("/api/v1/tenants/alpha/partners/")
    assert current_scope().tenant_id is None
    with pytest.raises(TenantScopeError):
        list(Partner.objects.all())

"""The rate table moved to ``prm.currency`` without moving: the same table and rows, behind the
tenant policy on a fresh database as after an upgrade (the move touches no table: a fresh migrate
makes it with incentives 0001 as before, and the post-migrate step covers every ``TenantOwned``
table); the move's data step renames the model's locators (its content type, the audit trail's
``target_type``) and leaves the audit table's forced row-level security as it found it."""

import importlib
from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from prm.audit.models import AuditEntry
from prm.currency.models import ExchangeRate
from prm.tenancy.context import tenant_context
from prm.tenancy.rls import POLICY, rls_tables
from tests.factories import AuditEntryFactory, ExchangeRateFactory

TABLE = "incentives_exchangerate"
MOVE = ("currency", "0001_exchangerate_from_incentives")


def security(table: str, cursor) -> tuple:
    cursor.execute(
        "SELECT c.relrowsecurity, c.relforcerowsecurity, "
        "(SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = %s) "
        "FROM pg_class c WHERE c.relname = %s",
        [POLICY, table],
    )
    return cursor.fetchone()


@pytest.mark.django_db
def test_the_model_keeps_its_table_and_the_table_is_behind_the_policy():
    assert ExchangeRate._meta.db_table == TABLE and TABLE in rls_tables()
    with connection.cursor() as cursor:
        assert security(TABLE, cursor) == (True, True, 1)


@pytest.mark.web_role
@pytest.mark.django_db
def test_raw_sql_in_one_tenants_scope_reads_only_its_rates(tenant, other_tenant):
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 1, 1), rate=D("0.9"))
    ExchangeRateFactory(tenant=other_tenant, currency="EUR", date=date(2026, 1, 1), rate=D("1.1"))

    with tenant_context(tenant.pk), connection.cursor() as cursor:
        cursor.execute(f"SELECT tenant_id, currency FROM {TABLE}")
        assert cursor.fetchall() == [(tenant.pk, "USD")]
    with connection.cursor() as cursor:  # no tenant in scope: no row
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        assert cursor.fetchone() == (0,)


class OwnerEditor:
    """What the migration's functions use of a schema editor, on the owner's connection (the
    role that runs migrations)."""

    connection = connections["owner"] if "owner" in connections else connection


@pytest.mark.web_role
@pytest.mark.django_db(transaction=True, databases=["default", "owner"])
def test_the_move_renames_the_locators_and_leaves_the_audit_table_forced(tenant):
    rate = ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 1, 1), rate=D("0.9"))
    of_the_rate = AuditEntryFactory(
        tenant=tenant, target_type="incentives.exchangerate", target_id=str(rate.pk)
    )
    of_a_tenant = AuditEntryFactory(tenant=tenant)
    ContentType.objects.filter(app_label="currency", model="exchangerate").delete()
    ContentType.objects.create(app_label="incentives", model="exchangerate")
    module = importlib.import_module(f"prm.currency.migrations.{MOVE[1]}")
    state = MigrationLoader(OwnerEditor.connection).project_state(MOVE)

    def located() -> tuple:
        types = set(ContentType.objects.filter(model="exchangerate").values_list("app_label", flat=True))
        found = dict(AuditEntry.objects.for_tenant(tenant).values_list("pk", "target_type"))
        return types, found[of_the_rate.pk], found[of_a_tenant.pk]

    module.forwards(state.apps, OwnerEditor())
    assert located() == ({"currency"}, "currency.exchangerate", "tenancy.tenant")
    module.backwards(state.apps, OwnerEditor())
    assert located() == ({"incentives"}, "incentives.exchangerate", "tenancy.tenant")
    module.forwards(state.apps, OwnerEditor())
    with connection.cursor() as cursor:
        assert security(AuditEntry._meta.db_table, cursor) == (True, True, 1)
        assert security(TABLE, cursor) == (True, True, 1)

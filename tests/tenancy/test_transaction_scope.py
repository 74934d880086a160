"""The tenant scope lives in each transaction, never on the session: what makes PgBouncer in
transaction mode safe (a server connection lent to another client after every transaction).

The suite itself runs the web role through PgBouncer in that mode in CI (.ci/pgbouncer); these
tests hold the property on any connection, pooled or not, by reading what the session keeps.
"""

import pytest
from django.db import connection, transaction

from partners.models import Partner
from prm.sql import aggregate_memory
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory

pytestmark = [pytest.mark.web_role, pytest.mark.django_db(transaction=True)]


def session_settings() -> tuple[str, str, str]:
    """What the session holds once no transaction is open: the tenant, its signature, work_mem."""
    with connection.cursor() as cursor:  # (no scope here: sent as it is, in autocommit)
        cursor.execute(
            "SELECT coalesce(current_setting('app.tenant_id', true), ''), "
            "coalesce(current_setting('app.tenant_sig', true), ''), current_setting('work_mem')"
        )
        return cursor.fetchone()


@pytest.fixture
def server_work_mem():
    return session_settings()[2]


def test_a_statement_in_autocommit_carries_its_tenant_and_leaves_nothing_on_the_session(
    tenant, other_tenant, server_work_mem
):
    PartnerFactory(tenant=tenant, name="Mine")
    PartnerFactory(tenant=other_tenant, name="Theirs")
    assert connection.get_autocommit()

    with tenant_context(tenant):
        assert list(Partner.objects.values_list("name", flat=True)) == ["Mine"]
    assert session_settings() == ("", "", server_work_mem)


def test_a_transactions_scope_follows_the_python_scope_and_ends_with_the_transaction(
    tenant, other_tenant, server_work_mem
):
    PartnerFactory(tenant=tenant, name="Mine")
    PartnerFactory(tenant=other_tenant, name="Theirs")

    with tenant_context(tenant), transaction.atomic():
        for _ in range(3):
            assert list(Partner.objects.values_list("name", flat=True)) == ["Mine"]
        with tenant_context(other_tenant):  # a change of scope inside the transaction
            assert list(Partner.objects.values_list("name", flat=True)) == ["Theirs"]
        assert list(Partner.objects.values_list("name", flat=True)) == ["Mine"]
    assert session_settings() == ("", "", server_work_mem)


def test_a_rolled_back_savepoint_does_not_leave_the_transaction_without_its_tenant(tenant):
    PartnerFactory(tenant=tenant, name="Mine")
    with tenant_context(tenant), transaction.atomic():
        try:
            with transaction.atomic():
                Partner.objects.count()
                raise ValueError
        except ValueError:
            pass
        assert list(Partner.objects.values_list("name", flat=True)) == ["Mine"]


def test_a_computations_work_mem_holds_in_its_transactions_only(tenant, server_work_mem):
    with tenant_context(tenant), aggregate_memory():
        with connection.cursor() as cursor:
            cursor.execute("SHOW work_mem")
            assert cursor.fetchone()[0] != server_work_mem
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SHOW work_mem")
            assert cursor.fetchone()[0] != server_work_mem
    assert session_settings()[2] == server_work_mem


def open_cursors() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_cursors WHERE is_holdable")
        return [row[0] for row in cursor.fetchall()]


def test_iterating_keeps_no_cursor_past_its_transaction(tenant):
    """Outside a transaction ``iterator()`` reads through a plain cursor (no ``WITH HOLD`` cursor
    for a later transaction to fetch from); inside one, through a server-side cursor of that
    transaction."""
    PartnerFactory(tenant=tenant, name="Mine")
    with tenant_context(tenant):
        rows = Partner.objects.values_list("name", flat=True).iterator(chunk_size=10)
        assert next(rows) == "Mine"
        assert open_cursors() == []
        with transaction.atomic():
            assert [p.name for p in Partner.objects.iterator(chunk_size=10)] == ["Mine"]

"""The tenant scope lives in each transaction, never on the session: what makes PgBouncer in
transaction mode safe (a server connection lent to another client after every transaction).

The suite itself runs the web role through PgBouncer in that mode in CI (.ci/pgbouncer); these
tests hold the property on any connection, pooled or not, by reading what the session keeps.
"""

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

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


def test_iterating_through_a_server_side_cursor_needs_a_transaction(tenant):
    PartnerFactory(tenant=tenant, name="Mine")
    with tenant_context(tenant):
        with pytest.raises(TransactionManagementError, match="transaction.atomic"):
            list(Partner.objects.iterator(chunk_size=10))
        with transaction.atomic():
            assert [p.name for p in Partner.objects.iterator(chunk_size=10)] == ["Mine"]

"""A sale is converted when it is booked, and again when a rate for its date arrives later.

Every write of a sale keeps its rate and its amount in the programme's currency (the database does
it, so the service, the CSV import and plain SQL all agree); a rate added for past dates
re-converts the sales it applies to, in the same transaction when they are few or by a job when
they are many, and the audit trail says which periods' figures moved.
"""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection

from incentives.services.rates import rate_add, rates_import
from partners.models import Sale
from partners.selling.sales import sale_create, sales_import
from prm.audit.models import AuditEntry
from prm.jobs.models import Job, JobStatus
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.tenancy.models import Tenant
from tests.factories import ExchangeRateFactory, PartnerFactory, SaleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(tenant):
    return PartnerFactory(tenant=tenant, name="Nordwind Systems", stage="signed")


@pytest.fixture
def dollars(tenant):
    """USD is 0.90 from January and 0.80 from August 2026 (the tenant's currency is EUR)."""
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 1, 1), rate=D("0.90"))
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 8, 1), rate=D("0.80"))


def book(tenant, partner, amount, currency, day, external_id):
    with tenant_context(tenant):
        return sale_create(
            tenant=tenant,
            partner=partner,
            external_id=external_id,
            date=day,
            product="Robot arm",
            amount=D(amount),
            currency=currency,
        )


def stored(tenant, external_id) -> tuple:
    with tenant_context(tenant):
        sale = Sale.objects.for_tenant(tenant).get(external_id=external_id)
    return sale.rate, sale.converted


def test_a_booked_sale_keeps_the_rate_of_its_date_and_its_amount_in_the_programme_currency(
    tenant, partner, dollars
):
    # when
    book(tenant, partner, "1000", "USD", date(2026, 7, 31), "JUL")
    book(tenant, partner, "1000", "USD", date(2026, 8, 1), "AUG")
    book(tenant, partner, "-250.50", "EUR", date(2026, 8, 2), "RET")
    book(tenant, partner, "300", "GBP", date(2026, 8, 3), "GBP")
    book(tenant, partner, "100", "USD", date(2025, 12, 31), "OLD")

    # then: the latest rate on or before the date; 1 at home; nothing without a rate
    assert stored(tenant, "JUL") == (D("0.9"), D("900"))
    assert stored(tenant, "AUG") == (D("0.8"), D("800"))
    assert stored(tenant, "RET") == (D("1"), D("-250.50"))
    assert stored(tenant, "GBP") == (None, None)
    assert stored(tenant, "OLD") == (None, None)


def test_an_imported_sale_and_one_written_in_plain_sql_are_converted_alike(tenant, partner, dollars):
    # given
    csv = (
        f"external_id,partner,date,product,amount,currency\nCSV-1,{partner.pk},2026-08-20,Robot arm,200,USD\n"
    )

    # when
    with tenant_context(tenant):
        sales_import(tenant=tenant, file=io.BytesIO(csv.encode()))
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO partners_sale (tenant_id, partner_id, external_id, date, product, quantity, amount, "
                "currency, customer, customer_key, self_sourced, created_at) "
                "VALUES (%s, %s, 'SQL-1', '2026-07-20', 'Robot arm', 1, 200, 'USD', '', '', true, now())",
                [tenant.pk, partner.pk],
            )

    # then
    assert stored(tenant, "CSV-1") == (D("0.8"), D("160"))
    assert stored(tenant, "SQL-1") == (D("0.9"), D("180"))


def test_a_sale_whose_date_or_amount_changes_is_converted_again(tenant, partner, dollars):
    # given
    book(tenant, partner, "1000", "USD", date(2026, 7, 10), "S-1")

    # when
    with tenant_context(tenant):
        Sale.objects.for_tenant(tenant).filter(external_id="S-1").update(
            date=date(2026, 8, 10), amount=D("500")
        )

    # then
    assert stored(tenant, "S-1") == (D("0.8"), D("400"))


def test_another_tenants_rate_converts_none_of_our_sales(tenant, other_tenant, partner):
    # given: only the other tenant has a rate for pounds
    ExchangeRateFactory(tenant=other_tenant, currency="GBP", date=date(2026, 1, 1), rate=D("1.2"))

    # when
    book(tenant, partner, "100", "GBP", date(2026, 8, 1), "GBP")

    # then
    assert stored(tenant, "GBP") == (None, None)


def test_a_rate_added_for_past_dates_reconverts_its_sales_and_the_audit_says_which_periods_moved(
    tenant, partner, member
):
    # given: USD sales in July, August and September; a rate only from September
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 9, 1), rate=D("0.80"))
    book(tenant, partner, "1000", "USD", date(2026, 7, 10), "JUL")
    book(tenant, partner, "500", "USD", date(2026, 8, 10), "AUG")
    book(tenant, partner, "1000", "USD", date(2026, 9, 10), "SEP")
    finance = member(tenant, Role.FINANCE)

    # when: finance adds the rate from July on
    with tenant_context(tenant):
        rate = rate_add(tenant=tenant, actor=finance, currency="USD", date=date(2026, 7, 1), rate=D("0.9"))

    # then: July and August are converted; September keeps its own, later rate
    assert stored(tenant, "JUL") == (D("0.9"), D("900"))
    assert stored(tenant, "AUG") == (D("0.9"), D("450"))
    assert stored(tenant, "SEP") == (D("0.8"), D("800"))
    with tenant_context(tenant):
        entry = AuditEntry.objects.for_tenant(tenant).get(action="sales.reconverted")
    assert (entry.target_id, entry.actor) == (str(rate.pk), finance)
    assert entry.changes == {"2026-07": ["0.00", "900.00"], "2026-08": ["0.00", "450.00"]}
    assert entry.reason == "2026-Q3"


def test_an_imported_rate_for_a_day_between_two_others_moves_only_the_days_it_governs(
    tenant, partner, member
):
    # given
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 7, 1), rate=D("0.90"))
    ExchangeRateFactory(tenant=tenant, currency="USD", date=date(2026, 9, 1), rate=D("0.80"))
    book(tenant, partner, "1000", "USD", date(2026, 7, 10), "JUL")
    book(tenant, partner, "1000", "USD", date(2026, 8, 10), "AUG")
    book(tenant, partner, "1000", "USD", date(2026, 9, 10), "SEP")

    # when: a rate from 1 August, imported
    with tenant_context(tenant):
        rates_import(
            tenant=tenant,
            actor=member(tenant, Role.FINANCE),
            file=io.BytesIO(b"currency,date,rate\nUSD,2026-08-01,0.85\n"),
        )

    # then
    assert [stored(tenant, x)[1] for x in ("JUL", "AUG", "SEP")] == [D("900"), D("850"), D("800")]
    with tenant_context(tenant):
        entry = AuditEntry.objects.for_tenant(tenant).get(action="sales.reconverted")
    assert entry.changes == {"2026-08": ["900.00", "850.00"]}


def test_many_sales_are_reconverted_by_a_job_whose_result_names_the_periods(
    tenant, partner, member, settings, django_capture_on_commit_callbacks
):
    # given: more sales than a request re-converts itself
    settings.PRM_RECONVERT_INLINE_SALES = 2
    with tenant_context(tenant):
        for n, day in enumerate([date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 2)]):
            SaleFactory(
                tenant=tenant, partner=partner, amount=D("100"), currency="CHF", date=day, external_id=f"C{n}"
            )
    finance = member(tenant, Role.FINANCE)

    # when
    with tenant_context(tenant), django_capture_on_commit_callbacks(execute=True):
        rate_add(tenant=tenant, actor=finance, currency="CHF", date=date(2026, 1, 1), rate=D("1.05"))

    # then
    with tenant_context(tenant):
        job = Job.objects.for_tenant(tenant).get(kind="sales_reconvert")
        assert AuditEntry.objects.for_tenant(tenant).filter(action="sales.reconverted").count() == 1
    assert (job.status, job.requested_by) == (JobStatus.SUCCEEDED, finance)
    assert job.result["sales"] == 3
    assert [p["period"] for p in job.result["periods"]] == ["2026-03", "2026-04"]
    assert job.result["quarters"] == ["2026-Q1", "2026-Q2"]
    assert job.result["periods"][1] == {"period": "2026-04", "sales": 2, "before": "0.00", "after": "210.00"}
    assert stored(tenant, "C0") == (D("1.05"), D("105"))


def test_a_tenant_whose_currency_changes_has_its_sales_converted_again(tenant, partner, dollars):
    # given
    book(tenant, partner, "1000", "USD", date(2026, 8, 10), "USD")
    book(tenant, partner, "1000", "EUR", date(2026, 8, 10), "EUR")

    # when: the programme now counts in dollars (no rate converts euros into them)
    with tenant_context(tenant):
        Tenant.objects.filter(pk=tenant.pk).update(currency="USD")

    # then
    assert stored(tenant, "USD") == (D("1"), D("1000"))
    assert stored(tenant, "EUR") == (None, None)

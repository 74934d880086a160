"""Writing the scorecards' inputs: targets by CSV, acknowledgements, engagement data and KPI definitions."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from partners.selling.sales import ImportRejected, ImportResult
from prm.audit.models import AuditEntry
from prm.tenancy.choices import Role
from scorecards.defaults import ensure_default_kpis
from scorecards.models import Kpi, ProductRegistration, SatisfactionResult, Target
from scorecards.services.inputs import (
    kpi_save,
    product_registration_add,
    satisfaction_add,
    target_acknowledge,
    targets_import,
)
from tests.factories import (
    KpiFactory,
    PartnerFactory,
    ProductRegistrationFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db

HEADER = "partner,period,kpi,value"


def csv_file(*lines, header=HEADER) -> io.BytesIO:
    return io.BytesIO(("\n".join([header, *lines]) + "\n").encode("utf-8"))


def targets(tenant):
    return Target.objects.for_tenant(tenant)


def problems(error: ImportRejected) -> set[tuple[int, str]]:
    return {(e["row"], e["field"]) for e in error.errors}


def kpi(tenant, code) -> Kpi:
    ensure_default_kpis(tenant)
    return Kpi.objects.for_tenant(tenant).get(code=code)


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


@pytest.fixture
def nordic(tenant):
    return PartnerFactory(tenant=tenant, name="Nordic Robotics GmbH", stage="signed")


@pytest.fixture
def iberia(tenant):
    return PartnerFactory(tenant=tenant, name="Iberia Automatización SL", stage="certified")


def run_import(tenant, actor, file) -> ImportResult:
    return targets_import(tenant=tenant, actor=actor, file=file)


# --- targets by CSV -------------------------------------------------------------------


def test_a_good_file_sets_every_target(tenant, manager, nordic, iberia):
    # given: partners by id or by name in any case, quarters in any case
    file = csv_file(
        f"{nordic.pk},2026-Q3,revenue,50000",
        "iberia automatización sl,2026-q3,win_rate,45.5",
        f"{nordic.pk},2026-07,deal_registrations,4",
    )

    # when
    result = run_import(tenant, manager, file)

    # then
    assert result == ImportResult(created=3, unchanged=0)
    rows = set(targets(tenant).values_list("partner_id", "period", "kpi__code", "value"))
    assert rows == {
        (nordic.pk, "2026-Q3", "revenue", D("50000.00")),
        (iberia.pk, "2026-Q3", "win_rate", D("45.50")),
        (nordic.pk, "2026-07", "deal_registrations", D("4.00")),
    }


def test_a_bad_file_writes_nothing_and_reports_every_problem_by_row_and_field(
    tenant, other_tenant, manager, nordic
):
    # given: row 2 is good, every other row has one problem
    stranger = PartnerFactory(tenant=other_tenant)
    file = csv_file(
        f"{nordic.pk},2026-Q3,revenue,50000",
        "Nobody Ltd,2026-Q3,revenue,100",
        f"{nordic.pk},2026-13,revenue,100",
        f"{nordic.pk},2026-Q3,turnover,100",
        f"{nordic.pk},2026-Q3,win_rate,forty",
        f"{nordic.pk},2026-q3,revenue,60000",
        f"{stranger.pk},2026-Q3,revenue,100",
    )

    # when
    with pytest.raises(ImportRejected) as error:
        run_import(tenant, manager, file)

    # then
    assert problems(error.value) == {
        (3, "partner"),
        (4, "period"),
        (5, "kpi"),
        (6, "value"),
        (7, "kpi"),  # the same partner, period and KPI as row 2
        (8, "partner"),  # another tenant's partner is no partner here
    }
    assert not targets(tenant).exists()
    assert not targets(other_tenant).exists()


def test_a_repeated_row_names_the_row_it_repeats(tenant, manager, nordic):
    # given
    file = csv_file(f"{nordic.pk},2026-Q3,revenue,100", f"{nordic.pk},2026-Q3,revenue,100")

    # when
    with pytest.raises(ImportRejected) as error:
        run_import(tenant, manager, file)

    # then
    assert error.value.errors == [{"row": 3, "field": "kpi", "message": "Repeats row 2."}]


def test_every_problem_of_a_row_is_reported(tenant, manager):
    # given
    file = csv_file("Nobody Ltd,July,turnover,")

    # when
    with pytest.raises(ImportRejected) as error:
        run_import(tenant, manager, file)

    # then
    assert problems(error.value) == {(2, "partner"), (2, "period"), (2, "kpi"), (2, "value")}


@pytest.mark.parametrize("value", ["forty", "", "12.345", "NaN", "Infinity", "1e12", "1000000000000"])
def test_a_value_must_be_a_number_with_at_most_two_decimals(tenant, manager, nordic, value):
    # given
    file = csv_file(f"{nordic.pk},2026-Q3,revenue,{value}")

    # when
    with pytest.raises(ImportRejected) as error:
        run_import(tenant, manager, file)

    # then
    assert problems(error.value) == {(2, "value")}
    assert not targets(tenant).exists()


@pytest.mark.parametrize("period", ["2026-13", "2026-Q5", "26-07", ""])
def test_a_period_must_be_a_month_or_a_quarter(tenant, manager, nordic, period):
    with pytest.raises(ImportRejected) as error:
        run_import(tenant, manager, csv_file(f"{nordic.pk},{period},revenue,100"))

    assert problems(error.value) == {(2, "period")}


def test_a_missing_column_is_reported_on_the_header(tenant, manager, nordic):
    # given
    file = csv_file(f"{nordic.pk},2026-Q3,50000", header="partner,period,value")

    # when
    with pytest.raises(ImportRejected) as error:
        run_import(tenant, manager, file)

    # then
    assert problems(error.value) == {(1, "kpi")}


def test_a_file_that_is_not_utf8_is_refused(tenant, manager, nordic):
    with pytest.raises(ImportRejected) as error:
        run_import(
            tenant,
            manager,
            io.BytesIO("partner,period,kpi,value\nMüller,2026-Q3,revenue,1\n".encode("latin-1")),
        )

    assert problems(error.value) == {(0, "file")}


def test_importing_the_same_file_again_changes_nothing(tenant, manager, nordic, iberia):
    # given
    lines = (f"{nordic.pk},2026-Q3,revenue,50000", f"{iberia.pk},2026-Q3,win_rate,45.50")
    run_import(tenant, manager, csv_file(*lines))
    before = sorted(targets(tenant).values_list("id", "partner_id", "period", "kpi_id", "value"))

    # when: 50000 and 45.5 are the same amounts as stored
    result = run_import(
        tenant,
        manager,
        csv_file(f"{nordic.pk},2026-Q3,revenue,50000.00", f"{iberia.pk},2026-Q3,win_rate,45.5"),
    )

    # then
    assert result == ImportResult(created=0, unchanged=2)
    assert sorted(targets(tenant).values_list("id", "partner_id", "period", "kpi_id", "value")) == before


def test_a_changed_value_replaces_the_target_and_needs_a_new_acknowledgement(tenant, manager, member, nordic):
    # given: both targets were acknowledged by the partner
    partner_user = member(tenant, Role.PARTNER)
    revenue = TargetFactory(tenant=tenant, partner=nordic, kpi=kpi(tenant, "revenue"), value=D("50000"))
    win_rate = TargetFactory(tenant=tenant, partner=nordic, kpi=kpi(tenant, "win_rate"), value=D("40"))
    target_acknowledge(target=revenue, actor=partner_user)
    target_acknowledge(target=win_rate, actor=partner_user)

    # when
    result = run_import(
        tenant,
        manager,
        csv_file(f"{nordic.pk},2026-Q3,revenue,65000", f"{nordic.pk},2026-Q3,win_rate,40"),
    )

    # then
    assert result == ImportResult(created=1, unchanged=1)
    assert targets(tenant).count() == 2
    revenue = targets(tenant).get(pk=revenue.pk)
    assert revenue.value == D("65000.00")
    assert (revenue.acknowledged_at, revenue.acknowledged_by) == (None, None)
    win_rate = targets(tenant).get(pk=win_rate.pk)
    assert win_rate.acknowledged_at is not None
    assert win_rate.acknowledged_by == partner_user


def test_the_import_only_reads_and_writes_its_own_tenants_targets(tenant, other_tenant, manager, nordic):
    # given: the other tenant has a target for a partner with the same name
    theirs = PartnerFactory(tenant=other_tenant, name="Nordic Robotics GmbH")
    TargetFactory(tenant=other_tenant, partner=theirs, kpi=kpi(other_tenant, "revenue"), value=D("1"))

    # when
    result = run_import(tenant, manager, csv_file("Nordic Robotics GmbH,2026-Q3,revenue,1"))

    # then
    assert result == ImportResult(created=1, unchanged=0)
    assert targets(tenant).get().partner == nordic
    assert targets(other_tenant).get().partner == theirs


# --- acknowledging a target -----------------------------------------------------------


def test_acknowledging_a_target_records_who_and_when_once(tenant, member, nordic):
    # given
    first, second = member(tenant, Role.PARTNER), member(tenant, Role.PARTNER)
    target = TargetFactory(tenant=tenant, partner=nordic)

    # when
    target_acknowledge(target=target, actor=first)
    stamped = targets(tenant).get(pk=target.pk).acknowledged_at
    target_acknowledge(target=targets(tenant).get(pk=target.pk), actor=second)

    # then
    stored = targets(tenant).get(pk=target.pk)
    assert stamped is not None
    assert stored.acknowledged_at == stamped
    assert stored.acknowledged_by == first


# --- product registrations ------------------------------------------------------------


def test_a_product_registration_is_recorded(tenant, manager, nordic):
    # when
    registration = product_registration_add(
        tenant=tenant,
        actor=manager,
        partner=nordic,
        customer="Contoso",
        product="RX-200",
        serial="SN-1",
        date=date(2026, 8, 1),
    )

    # then
    stored = ProductRegistration.objects.for_tenant(tenant).get()
    assert stored == registration
    assert (stored.partner, stored.product, stored.serial, stored.date) == (
        nordic,
        "RX-200",
        "SN-1",
        date(2026, 8, 1),
    )
    assert stored.registered_by == manager


def test_a_product_and_serial_can_be_registered_only_once(tenant, manager, nordic, iberia):
    # given
    ProductRegistrationFactory(tenant=tenant, partner=iberia, product="RX-200", serial="SN-1")

    # when
    with pytest.raises(ValidationError) as error:
        product_registration_add(
            tenant=tenant, actor=manager, partner=nordic, customer="Contoso", product="RX-200", serial="SN-1"
        )

    # then
    assert list(error.value.message_dict) == ["serial"]
    assert ProductRegistration.objects.for_tenant(tenant).count() == 1


def test_the_same_serial_of_another_product_or_tenant_is_no_duplicate(tenant, other_tenant, manager, nordic):
    # given
    ProductRegistrationFactory(tenant=tenant, partner=nordic, product="RX-100", serial="SN-1")
    ProductRegistrationFactory(tenant=other_tenant, product="RX-200", serial="SN-1")

    # when
    product_registration_add(
        tenant=tenant, actor=manager, partner=nordic, customer="Contoso", product="RX-200", serial="SN-1"
    )

    # then
    products = ProductRegistration.objects.for_tenant(tenant).values_list("product", flat=True)
    assert sorted(products) == ["RX-100", "RX-200"]


# --- satisfaction ---------------------------------------------------------------------


@pytest.mark.parametrize("score", [0, 6, 10])
def test_a_satisfaction_answer_from_0_to_10_is_recorded(tenant, nordic, score):
    # when
    satisfaction_add(tenant=tenant, partner=nordic, score=score, date=date(2026, 8, 1), respondent="Ana")

    # then
    stored = SatisfactionResult.objects.for_tenant(tenant).get()
    assert (stored.partner, stored.score, stored.date, stored.respondent) == (
        nordic,
        score,
        date(2026, 8, 1),
        "Ana",
    )


@pytest.mark.parametrize("score", [-1, 11, 100])
def test_a_satisfaction_answer_outside_0_to_10_is_refused(tenant, nordic, score):
    # when
    with pytest.raises(ValidationError) as error:
        satisfaction_add(tenant=tenant, partner=nordic, score=score)

    # then
    assert list(error.value.message_dict) == ["score"]
    assert not SatisfactionResult.objects.for_tenant(tenant).exists()


# --- KPI definitions ------------------------------------------------------------------


KPI_FIELDS = {
    "code": "certifications",
    "name": "Certified engineers",
    "source": "manual",
    "dimension": "activation",
    "weight": D("2"),
    "default_target": D("4"),
}


def test_saving_a_kpi_creates_it_and_writes_an_audit_entry(tenant, manager):
    # when
    saved = kpi_save(tenant=tenant, actor=manager, **KPI_FIELDS)

    # then
    stored = Kpi.objects.for_tenant(tenant).get(code="certifications")
    assert stored == saved
    assert (stored.weight, stored.default_target, stored.direction) == (D("2.00"), D("4.00"), "higher")
    entry = AuditEntry.objects.for_tenant(tenant).get(action="kpi.saved")
    assert entry.actor == manager
    assert (entry.target_type, entry.target_id) == ("scorecards.kpi", str(stored.pk))
    assert entry.changes["code"] == [None, "certifications"]


def test_editing_a_kpi_records_before_and_after(tenant, manager):
    # given
    existing = KpiFactory(tenant=tenant, code="certifications", weight=D("1"))

    # when
    kpi_save(tenant=tenant, actor=manager, kpi=existing, weight=D("3"))

    # then
    assert Kpi.objects.for_tenant(tenant).get(pk=existing.pk).weight == D("3.00")
    entry = AuditEntry.objects.for_tenant(tenant).get(action="kpi.saved")
    assert entry.changes == {"weight": ["1", "3"]}


def test_a_kpi_code_is_unique_within_the_tenant(tenant, manager):
    # given
    KpiFactory(tenant=tenant, code="certifications")

    # when
    with pytest.raises(ValidationError) as error:
        kpi_save(tenant=tenant, actor=manager, **KPI_FIELDS)

    # then
    assert list(error.value.message_dict) == ["code"]
    assert Kpi.objects.for_tenant(tenant).filter(code="certifications").count() == 1
    assert not AuditEntry.objects.for_tenant(tenant).filter(action="kpi.saved").exists()


def test_another_tenant_may_use_the_same_kpi_code(tenant, other_tenant, manager):
    # given
    KpiFactory(tenant=other_tenant, code="certifications")

    # when
    kpi_save(tenant=tenant, actor=manager, **KPI_FIELDS)

    # then
    assert Kpi.objects.for_tenant(tenant).filter(code="certifications").count() == 1


def test_a_kpi_keeps_its_own_code_when_edited(tenant, manager):
    # given
    existing = KpiFactory(tenant=tenant, code="certifications", name="Old")

    # when
    kpi_save(tenant=tenant, actor=manager, kpi=existing, code="certifications", name="New")

    # then
    assert Kpi.objects.for_tenant(tenant).get(pk=existing.pk).name == "New"

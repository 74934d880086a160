"""Importing sales from CSV: all or nothing, every bad row reported, re-imports create nothing twice."""

import io
from datetime import date
from decimal import Decimal

import pytest

from partners.models import Sale
from partners.selling.sales import ImportRejected, ImportResult, sales_import
from tests.factories import PartnerFactory, SaleFactory

pytestmark = pytest.mark.django_db

HEADER = "external_id,partner,date,product,quantity,amount,currency,customer"


def csv_file(*lines, header=HEADER) -> io.BytesIO:
    return io.BytesIO(("\n".join([header, *lines]) + "\n").encode("utf-8"))


def sales(tenant):
    return Sale.objects.for_tenant(tenant)


def problems(error: ImportRejected) -> set[tuple[int, str]]:
    return {(e["row"], e["field"]) for e in error.errors}


@pytest.fixture
def nordic(tenant):
    return PartnerFactory(tenant=tenant, name="Nordic Robotics GmbH", stage="signed")


@pytest.fixture
def iberia(tenant):
    return PartnerFactory(tenant=tenant, name="Iberia Automatización SL", stage="signed")


@pytest.fixture
def good_file(nordic, iberia):
    return lambda: csv_file(
        f"S-1,{nordic.pk},2026-03-01,Robot arm,2,2400.00,EUR,Bosch",
        f"S-2,{iberia.pk},2026-03-02,Gripper,1,350.50,EUR,Seat",
        f"S-3,{nordic.pk},2026-03-05,Controller,1,990,,",
    )


def test_a_good_file_creates_every_row(tenant, nordic, good_file):
    # when
    result = sales_import(tenant=tenant, file=good_file())

    # then
    assert result == ImportResult(created=3, unchanged=0)
    assert sales(tenant).count() == 3
    first = sales(tenant).get(external_id="S-1")
    assert first.partner == nordic
    assert first.date == date(2026, 3, 1)
    assert first.product == "Robot arm"
    assert first.quantity == Decimal("2")
    assert first.amount == Decimal("2400.00")
    assert first.customer == "Bosch"


def test_missing_currency_and_quantity_take_the_defaults(tenant, other_tenant, good_file):
    # when
    sales_import(tenant=tenant, file=good_file())

    # then: the tenant's currency (EUR) and one piece
    third = sales(tenant).get(external_id="S-3")
    assert third.currency == tenant.currency
    assert third.quantity == Decimal("1")


def test_a_currency_in_the_file_is_kept_in_capitals(tenant, nordic):
    sales_import(tenant=tenant, file=csv_file(f"S-1,{nordic.pk},2026-03-01,Arm,1,10,usd,"))

    assert sales(tenant).get().currency == "USD"


def test_re_importing_the_same_file_creates_nothing(tenant, good_file):
    # given
    sales_import(tenant=tenant, file=good_file())

    # when
    result = sales_import(tenant=tenant, file=good_file())

    # then
    assert result == ImportResult(created=0, unchanged=3)
    assert sales(tenant).count() == 3


def test_a_file_with_new_and_known_rows_creates_only_the_new(tenant, nordic, good_file):
    # given
    sales_import(tenant=tenant, file=good_file())

    # when
    result = sales_import(
        tenant=tenant,
        file=csv_file(
            f"S-1,{nordic.pk},2026-03-01,Robot arm,2,2400.00,EUR,Bosch",
            f"S-4,{nordic.pk},2026-04-01,Arm,1,5,,",
        ),
    )

    # then
    assert result == ImportResult(created=1, unchanged=1)
    assert sales(tenant).count() == 4


def test_a_file_with_bad_rows_reports_each_and_writes_nothing(tenant, nordic):
    # given: one sale booked already
    SaleFactory(
        tenant=tenant,
        partner=nordic,
        external_id="OLD-1",
        date=date(2026, 2, 1),
        product="Robot arm",
        quantity=Decimal("1"),
        amount=Decimal("100.00"),
        currency="EUR",
    )
    file = csv_file(
        f"S-1,{nordic.pk},2026-03-01,Robot arm,1,100,,",  # row 2: good
        "S-2,No Such Partner,2026-03-01,Robot arm,1,100,,",  # row 3: unknown partner
        f"S-3,{nordic.pk},31/03/2026,Robot arm,1,100,,",  # row 4: bad date
        f"S-4,{nordic.pk},2026-03-01,Robot arm,1,lots,,",  # row 5: bad amount
        f"S-5,{nordic.pk},2026-03-01,,1,100,,",  # row 6: no product
        f"S-1,{nordic.pk},2026-03-01,Robot arm,1,100,,",  # row 7: repeats row 2
        f"OLD-1,{nordic.pk},2026-02-01,Robot arm,1,250.00,EUR,",  # row 8: booked with another amount
    )

    # when
    with pytest.raises(ImportRejected) as error:
        sales_import(tenant=tenant, file=file)

    # then
    assert problems(error.value) == {
        (3, "partner"),
        (4, "date"),
        (5, "amount"),
        (6, "product"),
        (7, "external_id"),
        (8, "external_id"),
    }
    assert all(e["message"] for e in error.value.errors)
    assert sales(tenant).count() == 1  # not even the good row 2


def test_a_repeated_external_id_names_the_first_row(tenant, nordic):
    file = csv_file(f"S-1,{nordic.pk},2026-03-01,Arm,1,100,,", f"S-1,{nordic.pk},2026-03-01,Arm,1,100,,")

    with pytest.raises(ImportRejected) as error:
        sales_import(tenant=tenant, file=file)

    [problem] = error.value.errors
    assert (problem["row"], problem["field"]) == (3, "external_id")
    assert "2" in problem["message"]


def test_a_row_with_several_problems_reports_each(tenant):
    file = csv_file(",,not-a-date,,1,,,")

    with pytest.raises(ImportRejected) as error:
        sales_import(tenant=tenant, file=file)

    assert problems(error.value) == {
        (2, "external_id"),
        (2, "partner"),
        (2, "date"),
        (2, "product"),
        (2, "amount"),
    }


def test_a_missing_column_is_reported_on_the_header_row(tenant, nordic):
    # given: no amount column
    file = csv_file(f"S-1,{nordic.pk},2026-03-01,Arm", header="external_id,partner,date,product")

    # when
    with pytest.raises(ImportRejected) as error:
        sales_import(tenant=tenant, file=file)

    # then
    assert problems(error.value) == {(1, "amount")}
    assert not sales(tenant).exists()


def test_a_file_with_no_rows_is_refused(tenant):
    with pytest.raises(ImportRejected) as error:
        sales_import(tenant=tenant, file=csv_file())

    assert problems(error.value) == {(1, "file")}


@pytest.mark.parametrize("written", ["Nordic Robotics GmbH", "nordic robotics gmbh", "NORDIC ROBOTICS GMBH"])
def test_the_partner_can_be_named_exactly_in_any_case(tenant, nordic, written):
    sales_import(tenant=tenant, file=csv_file(f"S-1,{written},2026-03-01,Arm,1,100,,"))

    assert sales(tenant).get().partner == nordic


def test_a_partner_named_almost_right_is_not_guessed(tenant, nordic):
    with pytest.raises(ImportRejected) as error:
        sales_import(tenant=tenant, file=csv_file("S-1,Nordic Robotics,2026-03-01,Arm,1,100,,"))

    assert problems(error.value) == {(2, "partner")}


def test_another_tenants_partner_is_unknown_here(tenant, other_tenant):
    theirs = PartnerFactory(tenant=other_tenant, name="Theirs Ltd", stage="signed")

    for partner in (str(theirs.pk), "Theirs Ltd"):
        with pytest.raises(ImportRejected) as error:
            sales_import(tenant=tenant, file=csv_file(f"S-1,{partner},2026-03-01,Arm,1,100,,"))
        assert problems(error.value) == {(2, "partner")}


def test_the_same_external_id_in_another_tenant_does_not_clash(tenant, other_tenant, nordic):
    # given
    SaleFactory(tenant=other_tenant, external_id="S-1", amount=Decimal("5.00"))

    # when
    result = sales_import(tenant=tenant, file=csv_file(f"S-1,{nordic.pk},2026-03-01,Arm,1,100,,"))

    # then
    assert result == ImportResult(created=1, unchanged=0)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("1234.5", Decimal("1234.50")),
        ("7", Decimal("7.00")),
    ],
)
def test_amounts_are_kept_to_two_places(tenant, nordic, written, stored):
    sales_import(tenant=tenant, file=csv_file(f"S-1,{nordic.pk},2026-03-01,Arm,1,{written},,"))

    amount = sales(tenant).get().amount
    assert amount == stored
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("written", ["99.999", "10.001"])
def test_an_amount_finer_than_a_cent_is_a_row_error_not_rounded(tenant, nordic, written):
    with pytest.raises(ImportRejected) as rejected:
        sales_import(tenant=tenant, file=csv_file(f"S-1,{nordic.pk},2026-03-01,Arm,1,{written},,"))
    assert [(e["row"], e["field"]) for e in rejected.value.errors] == [(2, "amount")]
    assert not sales(tenant).exists()


def test_a_return_is_a_negative_amount(tenant, nordic):
    # when
    result = sales_import(
        tenant=tenant,
        file=csv_file(
            f"S-1,{nordic.pk},2026-03-01,Arm,1,500,,", f"R-1,{nordic.pk},2026-03-09,Arm,-1,-250.00,,"
        ),
    )

    # then
    assert result.created == 2
    assert sales(tenant).get(external_id="R-1").amount == Decimal("-250.00")


@pytest.mark.parametrize(
    ("field", "line"),
    [
        ("external_id", "{long_id},{pk},2026-03-01,Arm,1,100,,"),
        ("product", "S-1,{pk},2026-03-01,{long_text},1,100,,"),
        ("quantity", "S-1,{pk},2026-03-01,Arm,50000000000,100,,"),
    ],
    ids=["external_id", "product", "quantity"],
)
def test_a_value_too_big_for_its_field_is_a_row_error(tenant, nordic, field, line):
    file = csv_file(line.format(pk=nordic.pk, long_id="X" * 101, long_text="Y" * 201))

    with pytest.raises(ImportRejected) as error:
        sales_import(tenant=tenant, file=file)

    assert problems(error.value) == {(2, field)}


def test_a_blank_line_does_not_shift_the_reported_row(tenant, nordic):
    # given: line 3 is blank, the bad date is on line 4
    file = csv_file(f"S-1,{nordic.pk},2026-03-01,Arm,1,100,,", "", f"S-2,{nordic.pk},someday,Arm,1,100,,")

    with pytest.raises(ImportRejected) as error:
        sales_import(tenant=tenant, file=file)

    assert problems(error.value) == {(4, "date")}


def test_a_row_for_a_partner_before_the_selling_stages_names_the_row_and_why(tenant, nordic):
    prospect = PartnerFactory(tenant=tenant, name="Prospect Oy", stage="prospecting")
    file = csv_file(f"S-1,{nordic.pk},2026-03-01,Arm,1,100,,", f"S-2,{prospect.pk},2026-03-01,Arm,1,100,,")

    with pytest.raises(ImportRejected) as error:
        sales_import(tenant=tenant, file=file)

    assert problems(error.value) == {(3, "partner")}
    assert "Prospect Oy" in error.value.errors[0]["message"]
    assert not sales(tenant).exists()  # the good row is not written either

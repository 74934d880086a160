"""The money trail after approval: exported by an explicit step, then paid partner by partner with
the bank's date and reference (entered or imported), and partners see when and how they were paid."""

import io
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from incentives.models import Payment
from incentives.models.runs import ImmutableError
from incentives.services.payments import payment_record, payments_import
from incentives.services.runs import payout_adjustment_add
from prm.imports import ImportRejected
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import IncentiveRuleFactory
from tests.incentives.test_runs import approve, commission, compute, sell, signed, stored

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tenants/alpha"
PAID_ON = date(2026, 10, 5)


@pytest.fixture
def finance(tenant, member):
    return member(tenant, Role.FINANCE)


@pytest.fixture
def approved(tenant, finance, member):
    """Nordwind is owed 450.00 (5% of 9 000), Baltic 150.00 (5% of 3 000); an adjustment of −150.00
    leaves Zero Ltd owed nothing."""
    commission(tenant, "5")
    nordwind = signed(tenant, "Nordwind Systems", payee_reference="V-100")
    baltic = signed(tenant, "Baltic Motion", payee_reference="V-200")
    zero = signed(tenant, "Zero Ltd")
    sell(nordwind, "9000")
    sell(baltic, "3000")
    sell(zero, "3000")
    run = compute(tenant)

    with tenant_context(tenant):
        payout_adjustment_add(run=run, actor=finance, partner=zero, amount=D("-150"), reason="Returned unit")
    run = approve(run, member(tenant, Role.FINANCE), acknowledge_warnings=True)
    return run, nordwind, baltic, zero


def record(run, actor, partner, **kwargs):
    kwargs = {"paid_on": PAID_ON, "reference": "SEPA-1", **kwargs}
    with tenant_context(run.tenant_id):
        return payment_record(run=run, actor=actor, partner=partner, **kwargs)


def csv_file(text: str):
    return SimpleUploadedFile("bank.csv", text.encode(), content_type="text/csv")


def imported(run, actor, text):
    with tenant_context(run.tenant_id):
        return payments_import(run=run, actor=actor, file=csv_file(text))


def test_a_payment_keeps_what_the_run_owes_the_partner_with_the_banks_date_and_reference(approved, finance):
    run, nordwind, _baltic, _zero = approved

    payment = record(run, finance, nordwind, reference="SEPA-4711")

    assert (payment.amount, payment.currency, payment.paid_on, payment.reference) == (
        D("450.00"),
        "EUR",
        PAID_ON,
        "SEPA-4711",
    )
    assert stored(run).status == "approved", "one of two partners paid"


def test_the_run_is_paid_when_every_partner_it_owes_is_paid(approved, finance):
    run, nordwind, baltic, _zero = approved

    record(run, finance, nordwind, reference="SEPA-1")
    record(run, finance, baltic, reference="SEPA-2")

    assert stored(run).status == "paid" and stored(run).paid_at is not None


@pytest.mark.parametrize(
    ("who", "kwargs", "field", "message"),
    [
        ("zero", {}, "partner", "This run owes this partner nothing."),
        (
            "nordwind",
            {"amount": D("400.00")},
            "amount",
            "The run owes 450.00 EUR to this partner, not 400.00.",
        ),
        ("nordwind", {"reference": " "}, "reference", "Give the bank's or ERP's payment reference."),
        ("nordwind", {"paid_on": "tomorrow"}, "paid_on", "A payment date cannot be in the future."),
    ],
)
def test_a_wrong_payment_is_refused_naming_the_field(approved, finance, who, kwargs, field, message):
    run, nordwind, _baltic, zero = approved
    if kwargs.get("paid_on") == "tomorrow":
        kwargs["paid_on"] = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        record(run, finance, {"zero": zero, "nordwind": nordwind}[who], **kwargs)

    assert refused.value.message_dict[field] == [message]
    assert not Payment.objects.for_tenant(run.tenant_id).exists()


def test_a_partner_is_paid_once_and_a_payment_never_changes(approved, finance):
    run, nordwind, _baltic, _zero = approved
    payment = record(run, finance, nordwind)

    with pytest.raises(ValidationError) as twice:
        record(run, finance, nordwind, reference="SEPA-2")
    assert twice.value.message_dict["partner"] == ["This partner's payment for this run is recorded already."]

    payment.reference = "changed"
    with pytest.raises(ImmutableError):
        payment.save()


def test_a_draft_run_takes_no_payment(tenant, finance):
    commission(tenant, "5")
    partner = signed(tenant)
    sell(partner, "1000")
    run = compute(tenant)

    with pytest.raises(ValidationError) as refused:
        record(run, finance, partner)

    assert refused.value.messages == ["Approve the run before recording payments."]


def test_the_banks_file_pays_by_payee_reference_or_id_and_reimporting_creates_nothing(approved, finance):
    run, nordwind, baltic, _zero = approved
    text = f"payee_reference,partner_id,amount,paid_on,reference\nV-100,,450.00,2026-10-05,SEPA-1\n,{baltic.pk},150.00,2026-10-06,SEPA-2\n"

    first = imported(run, finance, text)
    again = imported(run, finance, text)

    assert (first.created, first.unchanged) == (2, 0)
    assert (again.created, again.unchanged) == (0, 2)
    assert stored(run).status == "paid"
    with tenant_context(run.tenant_id):
        assert {p.partner_id: p.reference for p in Payment.objects.all()} == {
            nordwind.pk: "SEPA-1",
            baltic.pk: "SEPA-2",
        }


def test_a_bad_bank_file_names_every_bad_row_and_records_nothing(approved, finance):
    run, _nordwind, baltic, zero = approved
    text = (
        "payee_reference,partner_id,amount,paid_on,reference\n"
        "V-100,,450.00,2026-10-05,SEPA-1\n"  # good
        "V-999,,10.00,2026-10-05,SEPA-2\n"  # unknown payee
        f",{baltic.pk},149.99,2026-10-05,SEPA-3\n"  # not what is owed
        f",{zero.pk},0.00,05.10.2026,SEPA-4\n"  # bad date
    )

    with pytest.raises(ImportRejected) as rejected:
        imported(run, finance, text)

    assert [(e["row"], e["field"]) for e in rejected.value.errors] == [
        (3, "payee_reference"),
        (4, "amount"),
        (5, "paid_on"),
    ]
    with tenant_context(run.tenant_id):
        assert not Payment.objects.exists()


# --- pages and API ------------------------------------------------------------------


def test_the_api_records_lists_and_imports_payments_and_partners_see_their_own(
    approved, finance, api, partner_user
):
    run, nordwind, baltic, _zero = approved
    client = api(finance)

    recorded = client.post(
        f"{BASE}/payout-runs/{run.pk}/payments/",
        {"partner": nordwind.pk, "paid_on": "2026-10-05", "reference": "SEPA-1"},
        format="json",
    )
    listed = client.get(f"{BASE}/payout-runs/{run.pk}/payments/").json()
    upload = client.post(
        f"{BASE}/payout-runs/{run.pk}/payments/import/",
        {"file": csv_file(f"partner_id,amount,paid_on,reference\n{baltic.pk},150.00,2026-10-06,SEPA-2\n")},
        format="multipart",
    )
    mine = api(partner_user(run.tenant, nordwind)).get(f"{BASE}/payments/").json()

    assert recorded.status_code == 201 and recorded.json()["amount"] == "450.00"
    assert listed["count"] == 1 and listed["results"][0]["reference"] == "SEPA-1"
    assert upload.status_code == 200 and upload.json() == {"created": 1, "unchanged": 0}
    assert client.get(f"{BASE}/payout-runs/{run.pk}/").json()["status"] == "paid"
    assert [(p["partner"], p["reference"]) for p in mine["results"]] == [(nordwind.pk, "SEPA-1")]


def test_a_manager_cannot_record_payments(approved, api, member):
    run, nordwind, _baltic, _zero = approved

    response = api(member(run.tenant, Role.CHANNEL_MANAGER)).post(
        f"{BASE}/payout-runs/{run.pk}/payments/",
        {"partner": nordwind.pk, "paid_on": "2026-10-05", "reference": "X"},
        format="json",
    )

    assert response.status_code == 403


def test_the_partner_sees_paid_on_and_the_reference_on_its_statements(approved, finance, web, partner_user):
    run, nordwind, _baltic, _zero = approved
    record(run, finance, nordwind, reference="SEPA-4711")

    page = web(partner_user(run.tenant, nordwind)).get("/t/alpha/my-payouts/").content.decode()

    assert "SEPA-4711" in page and "paid on" in page


def test_the_statement_pdf_says_when_it_was_paid(approved, finance, web, partner_user):

    run, nordwind, _baltic, _zero = approved
    record(run, finance, nordwind, reference="SEPA-4711")

    response = web(partner_user(run.tenant, nordwind)).get(f"/t/alpha/payouts/{run.pk}/statement/")

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "SEPA-4711" in text and "Paid on" in text


# --- the rules a partner is paid by ------------------------------------------------------


def test_a_partner_reads_the_rules_it_is_paid_by_in_words_and_no_others(tenant, api, partner_user, web):

    partner = signed(tenant, "Nordwind Systems", computed_tier="B", region="North")
    IncentiveRuleFactory(tenant=tenant, name="Base commission", kind="commission", params={"rate": "5"})
    IncentiveRuleFactory(
        tenant=tenant, name="Tier A push", kind="commission", params={"rate": "2"}, tiers=["A"]
    )
    IncentiveRuleFactory(
        tenant=tenant,
        name="South SPIF",
        kind="spif",
        regions=["South"],
        params={"product": "RX-200", "amount_per_unit": "50"},
    )
    IncentiveRuleFactory(
        tenant=tenant,
        name="Ended",
        kind="rebate",
        valid_to=date(2020, 1, 1),
        params={"threshold": "1000", "rate": "2"},
    )
    user = partner_user(tenant, partner)

    body = api(user).get(f"{BASE}/incentive-rules/").json()
    page = web(user).get("/t/alpha/my-payouts/").content.decode()

    assert [(r["name"], r["description"]) for r in body["results"]] == [("Base commission", "5% of sales")]
    assert "params" not in body["results"][0]
    assert "Base commission" in page and "5% of sales" in page and "Tier A push" not in page


def test_a_partner_cannot_change_rules_or_run_a_what_if(tenant, api, partner_user):
    client = api(partner_user(tenant))

    assert (
        client.post(
            f"{BASE}/incentive-rules/",
            {"name": "Mine", "kind": "commission", "params": {"rate": "50"}},
            format="json",
        ).status_code
        == 403
    )
    assert client.post(f"{BASE}/incentive-rules/what-if/", {}, format="json").status_code == 403

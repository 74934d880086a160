"""A run's audit warnings at scale: rows of the run, grouped by kind, paged, all of them as CSV,
acknowledged a kind at a time."""

import csv
import importlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from incentives import run_warnings
from incentives.models import PayoutRun, PayoutRunWarning
from incentives.services.runs import RunNotDraft, payout_run_acknowledge
from incentives.tasks import compute_run
from prm.audit.models import AuditEntry
from prm.jobs.services import job_start
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import IncentiveRuleFactory
from tests.incentives.test_runs import approve, commission, compute, sell, signed, stored

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tenants/alpha"


@pytest.fixture
def finance(tenant, member):
    return member(tenant, Role.FINANCE, first_name="Fiona", last_name="Finance")


@pytest.fixture
def noisy_run(tenant):
    """Eight customers bought the same thing from two partners (8 duplicate-sale warnings), and one
    partner in selection sold (1 unsigned-partner warning)."""
    commission(tenant, "5")
    alpha, beta = signed(tenant, "Alpha Partners"), signed(tenant, "=HYPERLINK(evil)")
    for n in range(8):
        sell(alpha, "1000", customer=f"Customer {n}", product="RX-200")
        sell(beta, "1000", customer=f"customer {n}", product="RX-200")
    sell(signed(tenant, "Prospect AG", stage="selection"), "500")
    return compute(tenant)


def acknowledge(run, actor, code):
    with tenant_context(run.tenant_id):
        return payout_run_acknowledge(run=run, actor=actor, code=code)


def test_warnings_are_grouped_by_kind_with_a_count_and_the_first_five(noisy_run):
    # when
    groups = {g["code"]: g for g in run_warnings.groups(noisy_run)}

    # then
    assert {code: g["count"] for code, g in groups.items()} == {"duplicate_sale": 8, "unsigned_partner": 1}
    duplicates = groups["duplicate_sale"]
    assert duplicates["label"] == "The same sale booked by several partners"
    assert len(duplicates["sample"]) == 5
    assert duplicates["sample"][0].startswith("The same sale (customer 0, RX-200, 2026-08-15, 1000")
    assert groups["unsigned_partner"]["sample"] == [
        "Prospect AG is not signed (stage Selection) but has 1 sales this period."
    ]
    assert all(g["acknowledged"] is None for g in groups.values())


def test_a_run_computed_before_summaries_groups_its_rows_as_the_kept_summary_does(noisy_run, finance):

    # given: the same run, once with its kept summary and once without (counted over its rows)
    acknowledge(noisy_run, finance, "unsigned_partner")
    with tenant_context(noisy_run.tenant_id):
        kept = PayoutRun.objects.get(pk=noisy_run.pk)
        PayoutRun.objects.filter(pk=noisy_run.pk).update(summary=None)
        live = PayoutRun.objects.get(pk=noisy_run.pk)

        # then
        for sample in (5, 1, 0):
            assert run_warnings.groups(live, sample) == run_warnings.groups(kept, sample)
        assert run_warnings.unacknowledged(live) == run_warnings.unacknowledged(kept) == ["duplicate_sale"]


def test_approval_names_the_kinds_nobody_acknowledged(noisy_run, finance):
    # given: the duplicates are checked, the unsigned partner is not
    acknowledge(noisy_run, finance, "duplicate_sale")

    # when
    with pytest.raises(ValidationError) as refused:
        approve(noisy_run, finance)

    # then
    assert refused.value.message_dict["acknowledge_warnings"] == [
        "This run has audit warnings nobody has acknowledged yet: Sales by partners not signed yet."
    ]


def test_a_run_whose_every_kind_is_acknowledged_approves_and_keeps_who_checked_what(
    noisy_run, finance, member
):
    # given: two people check one kind each
    colleague = member(noisy_run.tenant, Role.FINANCE, first_name="Colin", last_name="Colleague")
    acknowledge(noisy_run, finance, "duplicate_sale")
    acknowledge(noisy_run, colleague, "unsigned_partner")

    # when
    run = approve(noisy_run, finance)

    # then
    assert run.status == "approved" and run.warnings_acknowledged
    assert {code: a["name"] for code, a in stored(run).acknowledgements.items()} == {
        "duplicate_sale": "Fiona Finance",
        "unsigned_partner": "Colin Colleague",
    }
    with tenant_context(run.tenant_id):
        trail = list(AuditEntry.objects.filter(action="payout_run.warnings_acknowledged").order_by("id"))
    assert [(e.actor_id, e.changes["acknowledged"][1]) for e in trail] == [
        (finance.pk, "duplicate_sale (8)"),
        (colleague.pk, "unsigned_partner (1)"),
    ]


def test_acknowledging_at_approval_records_the_approver_for_the_open_kinds(noisy_run, finance):
    # when
    run = approve(noisy_run, finance, acknowledge_warnings=True)

    # then
    assert set(stored(run).acknowledgements) == {"duplicate_sale", "unsigned_partner"}
    assert {a["by"] for a in stored(run).acknowledgements.values()} == {finance.pk}


def test_a_recompute_asks_for_the_checks_again(noisy_run, finance):
    # given
    acknowledge(noisy_run, finance, "duplicate_sale")

    # when
    run = compute(noisy_run.tenant)

    # then
    assert run.acknowledgements == {}
    assert run_warnings.unacknowledged(run) == ["duplicate_sale", "unsigned_partner"]


def test_an_unknown_kind_or_an_approved_run_cannot_be_acknowledged(noisy_run, finance):
    with pytest.raises(ValidationError) as unknown:
        acknowledge(noisy_run, finance, "jump")
    assert unknown.value.message_dict == {"code": ["This run has no warnings of that kind."]}

    approve(noisy_run, finance, acknowledge_warnings=True)
    with pytest.raises(RunNotDraft):
        acknowledge(noisy_run, finance, "duplicate_sale")


def test_the_warnings_csv_has_every_warning_of_a_kind_in_words(noisy_run, finance, web):
    # when
    response = web(finance).get(f"/t/alpha/payouts/{noisy_run.pk}/warnings.csv?code=duplicate_sale")

    # then
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="warnings-{noisy_run.period}-duplicate_sale.csv"'
    )
    assert response.streaming, "sent as it is read, never held whole"
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert table[0] == ["kind", "code", "partner_id", "message", "sales"]
    assert len(table) == 1 + 8
    assert {row[1] for row in table[1:]} == {"duplicate_sale"}
    assert all(len(row[4].split()) == 2 for row in table[1:]), "each names the two sales"


def test_the_whole_warnings_csv_quotes_what_a_spreadsheet_would_run(noisy_run, finance, web):
    # when: every kind
    response = web(finance).get(f"/t/alpha/payouts/{noisy_run.pk}/warnings.csv")
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    # then
    assert len(table) == 1 + 9
    assert all(not row[3].startswith("=") for row in table[1:])


def test_the_run_page_shows_each_kind_once_with_its_count_and_acknowledges_it(noisy_run, finance, web):
    client = web(finance)

    # when
    page = client.get(f"/t/alpha/payouts/{noisy_run.pk}/").content.decode()
    acknowledged = client.post(
        f"/t/alpha/payouts/{noisy_run.pk}/acknowledge/", {"code": "unsigned_partner"}, follow=True
    )

    # then
    assert page.count('data-testid="warning-group"') == 2
    assert "First 5 of 8." in page
    assert page.count('data-testid="acknowledge"') == 2
    body = acknowledged.content.decode()
    assert acknowledged.status_code == 200
    assert body.count('data-testid="acknowledge"') == 1
    assert "Acknowledged by Fiona Finance on" in body


def test_a_channel_manager_cannot_acknowledge(noisy_run, member, web):
    # when
    response = web(member(noisy_run.tenant, Role.CHANNEL_MANAGER)).post(
        f"/t/alpha/payouts/{noisy_run.pk}/acknowledge/", {"code": "duplicate_sale"}
    )

    # then
    assert response.status_code == 403
    assert stored(noisy_run).acknowledgements == {}


# --- the API ------------------------------------------------------------------------


def test_the_api_run_carries_the_groups_not_thousands_of_warnings(noisy_run, finance, api):
    # when
    body = api(finance).get(f"{BASE}/payout-runs/{noisy_run.pk}/").json()

    # then
    assert "warnings" not in body
    assert body["warnings_count"] == 9
    assert [(g["code"], g["count"], len(g["sample"]), g["acknowledged"]) for g in body["warning_groups"]] == [
        ("duplicate_sale", 8, 5, None),
        ("unsigned_partner", 1, 1, None),
    ]


def test_the_api_pages_through_every_warning_and_gives_them_as_csv(noisy_run, finance, api):
    client = api(finance)

    # when
    first = client.get(f"{BASE}/payout-runs/{noisy_run.pk}/warnings/?page_size=5").json()
    unsigned = client.get(f"{BASE}/payout-runs/{noisy_run.pk}/warnings/?code=unsigned_partner").json()
    as_csv = client.get(f"{BASE}/payout-runs/{noisy_run.pk}/warnings/?format=csv")
    bad = client.get(f"{BASE}/payout-runs/{noisy_run.pk}/warnings/?code=nonsense")

    # then
    assert first["count"] == 9 and len(first["results"]) == 5 and first["next"]
    assert (
        unsigned["results"][0]["message"]
        == "Prospect AG is not signed (stage Selection) but has 1 sales this period."
    )
    assert as_csv.status_code == 200 and as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert len(list(csv.reader(io.StringIO(b"".join(as_csv.streaming_content).decode())))) == 1 + 9
    assert bad.status_code == 400 and "code" in bad.json()


def test_the_api_acknowledges_a_kind_then_approves_without_the_flag(noisy_run, finance, api, member):
    client = api(finance)

    # when
    manager = api(member(noisy_run.tenant, Role.CHANNEL_MANAGER)).post(
        f"{BASE}/payout-runs/{noisy_run.pk}/acknowledge/", {"code": "duplicate_sale"}, format="json"
    )
    for code in ("duplicate_sale", "unsigned_partner"):
        response = client.post(
            f"{BASE}/payout-runs/{noisy_run.pk}/acknowledge/", {"code": code}, format="json"
        )
        assert response.status_code == 200, response.json()
    approved = client.post(f"{BASE}/payout-runs/{noisy_run.pk}/approve/", {}, format="json")

    # then
    assert manager.status_code == 403
    assert response.json()["warning_groups"][1]["acknowledged"]["name"] == "Fiona Finance"
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_a_warning_stored_as_a_sentence_by_an_earlier_version_still_reads():
    assert run_warnings.message({"code": "jump", "message": "Nordwind: 1600.00 this period."}) == (
        "Nordwind: 1600.00 this period."
    )


def test_a_warning_reads_in_the_readers_language(noisy_run):

    (unsigned,) = run_warnings.rows(noisy_run, "unsigned_partner")
    with translation.override("pt-br"):
        assert run_warnings.label("unsigned_partner") == "Vendas de parceiros ainda não assinados"
        assert run_warnings.message(unsigned).startswith("Prospect AG ")
        assert "Seleção" in run_warnings.message(unsigned)


# --- many warnings, each small -----------------------------------------------------------


@pytest.fixture
def shared_customers(tenant, settings):
    """Six partners, computed in ranges of two, each paid by a flat and a bracketed commission on
    the same 30 sales (an overlap each); three customers bought the same thing from all six (three
    duplicate sales of six partners each)."""
    settings.PRM_PAYOUT_CHUNK = 2
    commission(tenant, "5", name="Flat commission")
    brackets = [{"from": "0", "to": "2000", "rate": "2"}, {"from": "2000", "to": None, "rate": "4"}]
    IncentiveRuleFactory(
        tenant=tenant, kind="commission", name="Bracketed commission", params={"brackets": brackets}
    )
    partners = [signed(tenant, f"Partner {n}") for n in range(6)]
    for partner in partners:
        for n in range(27):
            sell(partner, str(100 + n), customer=f"{partner.name} customer {n}")
        for n in range(3):
            sell(partner, "999", customer=f"Shared customer {n}", product="RX-200")
    return partners


def compute_as_a_job(tenant, member, capture):

    with capture(execute=True):
        job = job_start(
            tenant=tenant,
            kind="payout_run",
            task=compute_run,
            requested_by=member(tenant, Role.FINANCE),
            params={"period": "2026-Q3"},
        )
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    return job


def test_shared_customers_and_overlapping_rules_give_one_small_warning_each(
    tenant, shared_customers, finance, member, api, django_capture_on_commit_callbacks
):
    # when: three ranges on as many workers, joined into the run
    job = compute_as_a_job(tenant, member, django_capture_on_commit_callbacks)
    client = api(finance)
    run = client.get(f"{BASE}/payout-runs/{job.result['run']}/").json()
    overlaps = client.get(f"{BASE}/payout-runs/{run['id']}/warnings/?code=overlapping_rules").json()
    duplicates = client.get(f"{BASE}/payout-runs/{run['id']}/warnings/?code=duplicate_sale").json()

    # then: one warning a partner and one a duplicated sale, each with its count and the first ten sales
    assert (job.params["total"], job.result["warnings"], run["warnings_count"]) == (3, 9, 9)
    assert [(g["code"], g["count"]) for g in run["warning_groups"]] == [
        ("duplicate_sale", 3),
        ("overlapping_rules", 6),
    ]
    assert [w["partner"] for w in overlaps["results"]] == sorted(p.pk for p in shared_customers)
    assert {(w["sales_count"], len(w["sales"])) for w in overlaps["results"]} == {(30, 10)}
    assert overlaps["results"][0]["message"] == (
        "30 sales are paid by several rules: Bracketed commission, Flat commission."
    )
    assert {(w["sales_count"], len(w["sales"])) for w in duplicates["results"]} == {(6, 6)}
    assert duplicates["results"][0]["message"].endswith(
        "is booked by Partner 0, Partner 1, Partner 2, Partner 3, Partner 4, Partner 5."
    )


def test_the_api_pages_through_the_warnings_kind_by_kind_without_repeating_one(
    tenant, shared_customers, finance, member, api, django_capture_on_commit_callbacks
):
    # given
    job = compute_as_a_job(tenant, member, django_capture_on_commit_callbacks)
    client = api(finance)

    # when: pages of four
    url, pages = f"{BASE}/payout-runs/{job.result['run']}/warnings/?page_size=4", []
    while url:
        pages.append(client.get(url).json())
        url = pages[-1]["next"]

    # then
    listed = [(w["code"], w["partner"], w["message"]) for page in pages for w in page["results"]]
    assert [page["count"] for page in pages] == [9, 9, 9]
    assert len(set(listed)) == len(listed) == 9
    assert [code for code, _partner, _message in listed] == ["duplicate_sale"] * 3 + ["overlapping_rules"] * 6


def test_a_warning_about_many_sales_keeps_their_count_and_the_first_ten_in_the_csv(
    tenant, shared_customers, finance, web
):
    # given: computed in this process, range by range
    run = compute(tenant)

    # when
    response = web(finance).get(f"/t/alpha/payouts/{run.pk}/warnings.csv?code=overlapping_rules")

    # then
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(table) == 1 + 6
    assert all(row[3].startswith("30 sales are paid") and len(row[4].split()) == 10 for row in table[1:])


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE incentives_payoutrunwarning SET params = '{}' WHERE run_id = %(run)s",
        "DELETE FROM incentives_payoutrunwarning WHERE run_id = %(run)s",
        "INSERT INTO incentives_payoutrunwarning (tenant_id, run_id, code, rank, partner_id, position, params,"
        " facts) SELECT tenant_id, run_id, code, rank, partner_id, position + 100, params, facts"
        " FROM incentives_payoutrunwarning WHERE run_id = %(run)s LIMIT 1",
    ],
    ids=["update", "delete", "insert"],
)
def test_the_database_refuses_to_change_the_warnings_of_an_approved_run(noisy_run, finance, statement):

    # given
    approve(noisy_run, finance, acknowledge_warnings=True)

    # when / then
    with tenant_context(noisy_run.tenant_id):
        with pytest.raises(DatabaseError, match="approved payout run never change"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, {"run": noisy_run.pk})
    assert [g["count"] for g in run_warnings.groups(stored(noisy_run))] == [8, 1]


def test_every_kind_keeps_the_rank_its_moved_rows_were_written_with(noisy_run, finance, api):

    # given: a warning of each kind as the migration moved the runs of before (its own ranks)
    moved = importlib.import_module("incentives.migrations.0011_payout_run_warning_rows")
    with tenant_context(noisy_run.tenant_id):
        PayoutRunWarning.objects.filter(run=noisy_run).delete()
        for position, code in enumerate(moved.ORDER):
            PayoutRunWarning.objects.create(
                tenant_id=noisy_run.tenant_id,
                run=noisy_run,
                code=code,
                rank=moved.ORDER.index(code),
                position=position,
                facts={"sales_count": 0, "sales": [], "message": f"A {code} of before."},
            )

    # when: each kind asked for on its own
    found = {
        code: api(finance).get(f"{BASE}/payout-runs/{noisy_run.pk}/warnings/?code={code}").json()["results"]
        for code in moved.ORDER
    }

    # then
    assert {code: [w["message"] for w in rows] for code, rows in found.items()} == {
        code: [f"A {code} of before."] for code in moved.ORDER
    }

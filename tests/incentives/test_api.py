"""The incentives API as the contract says: rules (versioned), payout runs, lines, approval, exports,
partner statements and what-if."""

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from incentives.models import IncentiveRule, PayoutLine, PayoutRun
from incentives.services.runs import payout_run_approve, payout_run_compute
from partners.models import Sale
from prm.audit.models import AuditEntry
from prm.jobs.models import Job
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import IncentiveRuleFactory, PartnerFactory, SaleFactory
from tests.incentives.test_runs import warnings_of

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tenants/alpha"
PERIOD = "2026-Q3"
IN_Q2 = date(2026, 5, 15)
IN_Q3 = date(2026, 8, 15)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def signed(tenant, name, **fields):
    fields = {"stage": "signed", "computed_tier": "B", "region": "North", **fields}
    return PartnerFactory(tenant=tenant, name=name, **fields)


def sell(partner, amount, day=IN_Q3):
    return SaleFactory(tenant=partner.tenant, partner=partner, amount=D(amount), date=day)


def compute(tenant, period=PERIOD) -> PayoutRun:
    with tenant_context(tenant):
        return payout_run_compute(tenant=tenant, period=period)


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


@pytest.fixture
def finance(tenant, member):
    return member(tenant, Role.FINANCE)


@pytest.fixture
def programme(tenant):
    """Nordwind sells 9 000 and Baltic 3 000 in Q3; a 5% commission and a 2% rebate over 5 000."""
    commission = IncentiveRuleFactory(
        tenant=tenant, name="Base commission", kind="commission", params={"rate": "5"}
    )
    rebate = IncentiveRuleFactory(
        tenant=tenant, name="Rebate", kind="rebate", params={"threshold": "5000", "rate": "2"}
    )
    nordwind, baltic = signed(tenant, "Nordwind Systems"), signed(tenant, "Baltic Motion")
    sell(nordwind, "9000")
    sell(baltic, "3000")
    return {"commission": commission, "rebate": rebate, "nordwind": nordwind, "baltic": baltic}


@pytest.fixture
def clean_run(tenant):
    """A draft run without audit warnings: Nordwind's 5% of 2 000."""
    IncentiveRuleFactory(tenant=tenant, name="Base commission", kind="commission", params={"rate": "5"})
    sell(signed(tenant, "Nordwind Systems"), "2000")
    run = compute(tenant)
    assert warnings_of(run) == []
    return run


# --- rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({}, "params.rate"),
        ({"rate": "150"}, "params.rate"),
        (
            {
                "brackets": [
                    {"from": "0", "to": "1000", "rate": "2"},
                    {"from": "2000", "to": None, "rate": "5"},
                ]
            },
            "params.brackets.2",
        ),
        ({"rate": "5", "tier_multipliers": {"Z": "2"}}, "params.tier_multipliers"),
    ],
)
def test_an_invalid_rule_is_refused_naming_the_parameter(api, manager, tenant, params, key):
    # when
    response = api(manager).post(
        f"{BASE}/incentive-rules/", {"name": "Base", "kind": "commission", "params": params}, format="json"
    )

    # then
    assert response.status_code == 400
    assert key in response.json()
    assert not IncentiveRule.objects.for_tenant(tenant).exists()


def test_a_rule_is_created_with_clean_params_by_a_manager(api, manager, tenant):
    # when
    response = api(manager).post(
        f"{BASE}/incentive-rules/",
        {"name": "Base", "kind": "commission", "params": {"rate": "5.0"}, "tiers": ["A", "B"]},
        format="json",
    )

    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["version"], body["params"]["rate"], body["tiers"], body["edited_by"]) == (
        1,
        "5.0",
        ["A", "B"],
        manager.username,
    )


def test_finance_does_not_write_rules(api, finance):
    # when
    response = api(finance).post(
        f"{BASE}/incentive-rules/",
        {"name": "Base", "kind": "commission", "params": {"rate": "5"}},
        format="json",
    )

    # then
    assert response.status_code == 403


def test_patching_a_rule_makes_version_2_and_the_list_shows_only_current_versions(api, manager, tenant):
    # given
    client = api(manager)
    created = client.post(
        f"{BASE}/incentive-rules/",
        {"name": "Base", "kind": "commission", "params": {"rate": "5"}},
        format="json",
    ).json()

    # when
    response = client.patch(
        f"{BASE}/incentive-rules/{created['id']}/", {"params": {"rate": "7"}}, format="json"
    )

    # then
    assert response.status_code == 200, response.json()
    edited = response.json()
    assert (edited["version"], edited["key"], edited["params"]["rate"]) == (2, created["key"], "7")
    assert edited["id"] != created["id"]
    listed = client.get(f"{BASE}/incentive-rules/").json()["results"]
    assert [(r["id"], r["version"]) for r in listed] == [(edited["id"], 2)]
    old = client.get(f"{BASE}/incentive-rules/{created['id']}/").json()
    assert (old["version"], old["params"]["rate"]) == (1, "5")


def test_a_patch_with_bad_params_makes_no_version(api, manager, tenant):
    # given
    client = api(manager)
    created = client.post(
        f"{BASE}/incentive-rules/",
        {"name": "Base", "kind": "commission", "params": {"rate": "5"}},
        format="json",
    ).json()

    # when
    response = client.patch(
        f"{BASE}/incentive-rules/{created['id']}/", {"params": {"rate": "101"}}, format="json"
    )

    # then
    assert response.status_code == 400 and "params.rate" in response.json()
    assert list(IncentiveRule.objects.for_tenant(tenant).values_list("version", "is_current")) == [(1, True)]


# --- computing a run ----------------------------------------------------------------


def test_posting_a_period_answers_202_and_computes_the_draft_run(
    api, manager, tenant, programme, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = api(manager).post(f"{BASE}/payout-runs/", {"period": "2026-q3"}, format="json")

    # then: 450 + 150 commission, 180 rebate for Nordwind
    assert response.status_code == 202
    run = PayoutRun.objects.for_tenant(tenant).get(period=PERIOD)
    assert (run.status, run.total) == ("draft", D("780.00"))
    body = api(manager).get(f"{BASE}/payout-runs/{run.pk}/").json()
    assert (body["period"], body["status"], body["total"], body["currency"], body["lines_count"]) == (
        PERIOD,
        "draft",
        "780.00",
        "EUR",
        3,
    )


def test_the_compute_job_succeeds_with_the_runs_summary(
    api, manager, tenant, programme, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = api(manager).post(f"{BASE}/payout-runs/", {"period": PERIOD}, format="json")

    # then
    job = Job.objects.for_tenant(tenant).get(pk=response.json()["id"])
    assert job.status == "succeeded", job.error
    run = PayoutRun.objects.for_tenant(tenant).get(period=PERIOD)
    assert (job.result["run"], job.result["period"], job.result["total"]) == (run.pk, PERIOD, "780.00")
    assert job.result["url"] == f"/t/alpha/payouts/{run.pk}/"


def test_a_bad_period_is_refused(api, manager):
    # when
    response = api(manager).post(f"{BASE}/payout-runs/", {"period": "Q3"}, format="json")

    # then
    assert response.status_code == 400 and "period" in response.json()


def test_an_approved_periods_run_is_not_recomputed(api, manager, finance, clean_run, tenant):
    # given
    with tenant_context(tenant):
        payout_run_approve(run=clean_run, actor=finance)

    # when
    response = api(manager).post(f"{BASE}/payout-runs/", {"period": PERIOD}, format="json")

    # then
    assert response.status_code == 409
    assert not Job.objects.for_tenant(tenant).exists()


# --- lines --------------------------------------------------------------------------


def test_lines_filter_by_partner_and_by_rule(api, manager, tenant, programme):
    # given
    run = compute(tenant)
    client = api(manager)
    nordwind, baltic = programme["nordwind"], programme["baltic"]

    # when
    of_nordwind = client.get(f"{BASE}/payout-runs/{run.pk}/lines/?partner={nordwind.pk}").json()["results"]
    of_baltic = client.get(f"{BASE}/payout-runs/{run.pk}/lines/?partner={baltic.pk}").json()["results"]
    of_rebate = client.get(f"{BASE}/payout-runs/{run.pk}/lines/?rule={programme['rebate'].pk}").json()[
        "results"
    ]

    # then
    assert sorted((r["kind"], r["amount"]) for r in of_nordwind) == [
        ("commission", "450.00"),
        ("rebate", "180.00"),
    ]
    assert [(r["partner"], r["kind"], r["amount"]) for r in of_baltic] == [
        (baltic.pk, "commission", "150.00")
    ]
    assert [(r["partner"], r["rule"], r["amount"]) for r in of_rebate] == [
        (nordwind.pk, programme["rebate"].pk, "180.00")
    ]
    line = of_baltic[0]
    assert line["explanation"] == "Base commission: 5% of 3 000.00"
    assert line["source"]["sales"] == list(
        Sale.objects.for_tenant(tenant).filter(partner=baltic).values_list("pk", flat=True)
    )


def test_a_line_filter_that_is_not_an_id_is_refused(api, manager, clean_run):
    # when
    response = api(manager).get(f"{BASE}/payout-runs/{clean_run.pk}/lines/?partner=nordwind")

    # then
    assert response.status_code == 400 and "partner" in response.json()


# --- approval -----------------------------------------------------------------------


def test_a_channel_manager_may_not_approve(api, manager, clean_run):
    # when
    response = api(manager).post(f"{BASE}/payout-runs/{clean_run.pk}/approve/", {}, format="json")

    # then
    assert response.status_code == 403
    assert PayoutRun.objects.for_tenant(clean_run.tenant_id).get(pk=clean_run.pk).status == "draft"


def test_finance_approves_once_and_again_is_a_conflict(api, finance, clean_run):
    # given
    client = api(finance)

    # when
    first = client.post(f"{BASE}/payout-runs/{clean_run.pk}/approve/", {}, format="json")
    again = client.post(f"{BASE}/payout-runs/{clean_run.pk}/approve/", {}, format="json")

    # then
    assert first.status_code == 200, first.json()
    assert (first.json()["status"], first.json()["total"], first.json()["lines_count"]) == (
        "approved",
        "100.00",
        1,
    )
    assert again.status_code == 409


def test_warnings_must_be_acknowledged_to_approve(api, finance, tenant):
    # given: a partner still in selection booked a sale (unsigned_partner)
    IncentiveRuleFactory(tenant=tenant, name="Base commission", kind="commission", params={"rate": "5"})
    sell(signed(tenant, "Prospect AG", stage="selection"), "1000")
    run = compute(tenant)
    assert [w["code"] for w in warnings_of(run)] == ["unsigned_partner"]
    client = api(finance)

    # when
    refused = client.post(f"{BASE}/payout-runs/{run.pk}/approve/", {}, format="json")
    accepted = client.post(
        f"{BASE}/payout-runs/{run.pk}/approve/", {"acknowledge_warnings": True}, format="json"
    )

    # then
    assert refused.status_code == 400 and "acknowledge_warnings" in refused.json()
    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted.json()["warnings_acknowledged"]) == ("approved", True)


# --- exports ------------------------------------------------------------------------


@pytest.fixture
def approved_run(api, finance, clean_run):
    response = api(finance).post(f"{BASE}/payout-runs/{clean_run.pk}/approve/", {}, format="json")
    assert response.status_code == 200
    return clean_run


def test_an_approved_run_exports_as_csv_by_default_and_downloading_changes_nothing(
    api, finance, approved_run, tenant
):
    # when
    response = api(finance).get(f"{BASE}/payout-runs/{approved_run.pk}/export/")

    # then
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="payouts-alpha-2026-Q3.csv"' in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[1][1:] == [
        "Nordwind Systems",
        "",
        "Base commission",
        "commission",
        "100.00",
        "EUR",
        PERIOD,
        "line",
    ]
    assert table[2][3:] == ["Subtotal", "", "100.00", "EUR", PERIOD, "subtotal"]
    assert table[3][1:6] == ["Total", "", "", "", "100.00"]
    assert PayoutRun.objects.for_tenant(tenant).get(pk=approved_run.pk).status == "approved"

    assert not AuditEntry.objects.for_tenant(tenant).filter(action="payout_run.exported").exists()


def test_marking_exported_is_an_explicit_post_made_once(api, finance, approved_run, tenant):
    # when
    first = api(finance).post(f"{BASE}/payout-runs/{approved_run.pk}/mark-exported/")
    again = api(finance).post(f"{BASE}/payout-runs/{approved_run.pk}/mark-exported/")

    # then
    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == "exported" and first.json()["exported_at"] == again.json()["exported_at"]

    assert AuditEntry.objects.for_tenant(tenant).filter(action="payout_run.exported").count() == 1


FORMAT_OVERRIDE = (
    "DRF reads ?format= as its URL_FORMAT_OVERRIDE: content negotiation finds no 'csv'/'xlsx'/'pdf' "
    "renderer and answers 404 before the export action runs (set REST_FRAMEWORK['URL_FORMAT_OVERRIDE'] = None)"
)


@pytest.mark.parametrize(
    ("kind", "content_type", "magic"),
    [("csv", "text/csv; charset=utf-8", b"partner_id,"), ("xlsx", XLSX, b"PK")],
)
def test_the_format_parameter_chooses_csv_or_xlsx(api, finance, approved_run, kind, content_type, magic):
    # when
    response = api(finance).get(f"{BASE}/payout-runs/{approved_run.pk}/export/?format={kind}")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    assert f'filename="payouts-alpha-2026-Q3.{kind}"' in response["Content-Disposition"]


def test_an_unknown_export_format_is_refused(api, finance, approved_run):
    # when
    response = api(finance).get(f"{BASE}/payout-runs/{approved_run.pk}/export/?format=pdf")

    # then
    assert response.status_code == 400 and "format" in response.json()


def test_a_draft_run_is_not_exported(api, finance, clean_run):
    # when
    response = api(finance).get(f"{BASE}/payout-runs/{clean_run.pk}/export/")

    # then
    assert response.status_code == 400
    assert PayoutRun.objects.for_tenant(clean_run.tenant_id).get(pk=clean_run.pk).status == "draft"


def test_a_channel_manager_may_not_export(api, manager, approved_run):
    # when / then
    assert api(manager).get(f"{BASE}/payout-runs/{approved_run.pk}/export/").status_code == 403


# --- partners' own lines and statements ---------------------------------------------


@pytest.fixture
def two_runs(tenant, finance, programme):
    """Q2 approved (Nordwind 5% of 4 000, Baltic 5% of 1 000); Q3 still a draft."""
    sell(programme["nordwind"], "4000", IN_Q2)
    sell(programme["baltic"], "1000", IN_Q2)
    q2 = compute(tenant, "2026-Q2")
    with tenant_context(tenant):
        q2 = payout_run_approve(run=q2, actor=finance)
    q3 = compute(tenant)
    return q2, q3


def test_a_partner_sees_only_its_own_lines_of_approved_runs(api, tenant, partner_user, programme, two_runs):
    # given
    q2, q3 = two_runs
    client = api(partner_user(tenant, partner=programme["baltic"]))

    # when
    listed = client.get(f"{BASE}/payout-lines/").json()["results"]

    # then
    assert [(r["partner"], r["period"], r["amount"]) for r in listed] == [
        (programme["baltic"].pk, "2026-Q2", "50.00")
    ]
    nordwinds = PayoutLine.objects.for_tenant(tenant).filter(run=q2, partner=programme["nordwind"]).first()
    assert client.get(f"{BASE}/payout-lines/{nordwinds.pk}/").status_code == 404
    draft_line = PayoutLine.objects.for_tenant(tenant).filter(run=q3, partner=programme["baltic"]).first()
    assert client.get(f"{BASE}/payout-lines/{draft_line.pk}/").status_code == 404


def test_a_partner_gets_its_statement_as_pdf(api, tenant, partner_user, programme, two_runs):
    # given
    q2, _q3 = two_runs
    client = api(partner_user(tenant, partner=programme["baltic"]))

    # when: asking for another partner still gives its own
    response = client.get(f"{BASE}/payout-lines/statement/?run={q2.pk}&partner={programme['nordwind'].pk}")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Baltic Motion" in text and "2026-Q2" in text and "50.00" in text
    assert "Nordwind" not in text


def test_a_partner_gets_no_statement_of_a_draft_run_in_the_api_or_on_the_page(
    api, web, tenant, partner_user, programme, two_runs
):
    # given
    _q2, q3 = two_runs
    user = partner_user(tenant, partner=programme["baltic"])

    # when
    response = api(user).get(f"{BASE}/payout-lines/statement/?run={q3.pk}")
    page = web(user).get(f"/t/alpha/payouts/{q3.pk}/statement/")

    # then: not there yet, the same answer in both
    assert response.status_code == page.status_code == 404


# --- what-if ------------------------------------------------------------------------


def test_what_if_compares_a_changed_rate_with_what_was_paid_and_saves_nothing(
    api, manager, finance, tenant, programme
):
    # given: Q3 approved at 5% (Nordwind 450, Baltic 150)
    run = compute(tenant)
    with tenant_context(tenant):
        payout_run_approve(run=run, actor=finance, acknowledge_warnings=True)
    counts = (
        PayoutRun.objects.for_tenant(tenant).count(),
        PayoutLine.objects.for_tenant(tenant).count(),
        IncentiveRule.objects.for_tenant(tenant).count(),
    )

    # when: what would 8% have cost?
    response = api(manager).post(
        f"{BASE}/incentive-rules/what-if/",
        {
            "period": PERIOD,
            "rule": {"name": "Base commission", "kind": "commission", "params": {"rate": "8"}},
            "compare_with": programme["commission"].pk,
        },
        format="json",
    )

    # then: 720 + 240 = 960 proposed against 600 paid
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["period"], body["run_status"], body["currency"]) == (PERIOD, "approved", "EUR")
    assert (body["total_proposed"], body["total_paid"], body["difference"]) == ("960.00", "600.00", "360.00")
    assert body["partners"] == [
        {
            "partner": programme["baltic"].pk,
            "name": "Baltic Motion",
            "proposed": "240.00",
            "paid": "150.00",
            "difference": "90.00",
        },
        {
            "partner": programme["nordwind"].pk,
            "name": "Nordwind Systems",
            "proposed": "720.00",
            "paid": "450.00",
            "difference": "270.00",
        },
    ]
    assert (
        PayoutRun.objects.for_tenant(tenant).count(),
        PayoutLine.objects.for_tenant(tenant).count(),
        IncentiveRule.objects.for_tenant(tenant).count(),
    ) == counts


def test_what_if_with_invalid_params_names_the_parameter(api, manager):
    # when
    response = api(manager).post(
        f"{BASE}/incentive-rules/what-if/",
        {"period": PERIOD, "rule": {"name": "X", "kind": "commission", "params": {"rate": "200"}}},
        format="json",
    )

    # then
    assert response.status_code == 400 and "params.rate" in response.json()


@pytest.mark.parametrize(
    ("window", "field"),
    [
        ({"valid_from": "2026-13-45"}, "valid_from"),
        ({"valid_to": "soon"}, "valid_to"),
        ({"valid_from": "2026-09-01", "valid_to": "2026-07-01"}, "valid_to"),
    ],
)
def test_what_if_checks_the_rules_window_like_a_saved_rule(api, manager, window, field):
    response = api(manager).post(
        f"{BASE}/incentive-rules/what-if/",
        {"period": PERIOD, "rule": {"kind": "commission", "params": {"rate": "5"}, **window}},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert field in str(response.json())


def test_what_if_with_a_valid_window_answers_200(api, manager, programme):
    response = api(manager).post(
        f"{BASE}/incentive-rules/what-if/",
        {
            "period": PERIOD,
            "rule": {
                "kind": "commission",
                "params": {"rate": "5"},
                "valid_from": "2026-07-01",
                "valid_to": "2026-09-30",
            },
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["total_proposed"] != "0.00"

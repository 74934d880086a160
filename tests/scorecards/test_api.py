"""The scorecards API as the contract says: KPIs, targets, scorecards, PDFs, jobs."""

import io
import zipfile
from decimal import Decimal

import pytest
from pypdf import PdfReader

from prm.jobs.models import Job
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from scorecards.defaults import ensure_default_kpis
from scorecards.models import Kpi, Scorecard, Target
from scorecards.services.compute import scorecards_compute
from tests.factories import KpiFactory, PartnerFactory, SaleFactory, ScorecardFactory, ScorecardLineFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tenants/alpha"


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER)


@pytest.fixture
def computed(tenant):
    """Two signed partners with Q3 sales and a revenue target, computed."""
    nordwind = PartnerFactory(
        tenant=tenant, name="Nordwind Systems", stage="signed", region="North", computed_tier="A"
    )
    baltic = PartnerFactory(
        tenant=tenant, name="Baltic Motion", stage="signed", region="North", computed_tier="A"
    )
    SaleFactory(tenant=tenant, partner=nordwind, date="2026-08-01", amount=Decimal("9000"))
    SaleFactory(tenant=tenant, partner=baltic, date="2026-08-01", amount=Decimal("3000"))
    with tenant_context(tenant):
        ensure_default_kpis(tenant)
        revenue = Kpi.objects.get(code="revenue")
        for partner in (nordwind, baltic):
            Target.objects.create(
                tenant=tenant, partner=partner, period="2026-Q3", kpi=revenue, value=Decimal("6000")
            )
        scorecards_compute(tenant=tenant, period="2026-Q3")
    return nordwind, baltic


def test_default_kpis_are_listed_with_the_contract_codes(api, manager, tenant):
    ensure_default_kpis(tenant)  # as tenant_create does
    body = api(manager).get(f"{BASE}/kpis/").json()
    assert {k["code"] for k in body} == {
        "revenue",
        "growth",
        "deal_registrations",
        "win_rate",
        "product_registrations",
        "satisfaction",
        "training",
    }
    assert set(body[0]) >= {"code", "name", "source", "direction", "weight", "dimension"}


def test_an_admin_adds_the_vendors_side_of_activation_once(api, tenant, member, manager):
    ensure_default_kpis(tenant)
    admin = api(member(tenant, Role.ADMIN))

    first = admin.post(f"{BASE}/kpis/vendor-side/")
    again = admin.post(f"{BASE}/kpis/vendor-side/")

    assert first.status_code == 200
    vendor = {
        k["code"]: (k["side"], k["dimension"], k["source"]) for k in first.json() if k["side"] == "vendor"
    }
    assert vendor == {
        "enablement_visits": ("vendor", "activation", "visits"),
        "answered_in_time": ("vendor", "activation", "answered_in_time"),
    }
    assert len(again.json()) == len(first.json()) == 9
    assert api(manager).post(f"{BASE}/kpis/vendor-side/").status_code == 403


def test_a_new_kpi_on_a_vendor_source_is_on_the_vendors_side(api, tenant, member):
    response = api(member(tenant, Role.ADMIN)).post(
        f"{BASE}/kpis/",
        {
            "code": "funds",
            "name": "MDF approved",
            "source": "mdf_approved",
            "direction": "higher",
            "weight": "1",
            "dimension": "activation",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["side"] == "vendor"


def test_only_admins_define_kpis(api, tenant, manager, member):
    payload = {
        "code": "leads",
        "name": "Leads",
        "source": "manual",
        "direction": "higher",
        "weight": "2",
        "dimension": "performance",
    }
    assert api(manager).post(f"{BASE}/kpis/", payload, format="json").status_code == 403
    created = api(member(tenant, Role.ADMIN)).post(f"{BASE}/kpis/", payload, format="json")
    assert created.status_code == 201 and created.json()["weight"] == "2.00"


def test_targets_are_set_by_kpi_code_and_filtered(api, manager, tenant):
    ensure_default_kpis(tenant)  # as tenant_create does
    partner = PartnerFactory(tenant=tenant, stage="signed")
    client = api(manager)
    response = client.post(
        f"{BASE}/targets/",
        {"partner": partner.pk, "period": "2026-q3", "kpi": "revenue", "value": "5000"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["period"] == "2026-Q3" and response.json()["kpi"] == "revenue"
    assert client.get(f"{BASE}/targets/?period=2026-Q3&partner={partner.pk}").json()["count"] == 1
    bad = client.post(
        f"{BASE}/targets/",
        {"partner": partner.pk, "period": "Q3", "kpi": "revenue", "value": "1"},
        format="json",
    )
    assert bad.status_code == 400 and "period" in bad.json()


def test_targets_import_reports_rows_and_is_idempotent(api, manager, tenant):
    partner = PartnerFactory(tenant=tenant, stage="signed", name="Nordwind")
    good = f"partner,period,kpi,value\n{partner.pk},2026-Q3,revenue,5000\nNordwind,2026-Q3,deal_registrations,3\n"
    client = api(manager)
    bad = client.post(
        f"{BASE}/targets/import/",
        {"file": io.BytesIO((good + "Nobody,2026-Q9,nope,x\n").encode())},
        format="multipart",
    )
    assert bad.status_code == 400
    assert {(e["row"], e["field"]) for e in bad.json()["errors"]} == {
        (4, "partner"),
        (4, "period"),
        (4, "kpi"),
        (4, "value"),
    }
    assert client.post(
        f"{BASE}/targets/import/", {"file": io.BytesIO(good.encode())}, format="multipart"
    ).json() == {"created": 2, "unchanged": 0}
    assert client.post(
        f"{BASE}/targets/import/", {"file": io.BytesIO(good.encode())}, format="multipart"
    ).json() == {"created": 0, "unchanged": 2}


def test_a_partner_acknowledges_its_own_target(api, tenant, partner_user):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    kpi = KpiFactory(tenant=tenant)
    target = Target.objects.for_tenant(tenant).create(
        tenant=tenant, partner=partner, period="2026-Q3", kpi=kpi, value=1
    )
    user = partner_user(tenant, partner=partner)
    response = api(user).post(f"{BASE}/targets/{target.pk}/acknowledge/")
    assert response.status_code == 200 and response.json()["acknowledged_at"]


def test_scorecard_detail_has_the_contract_fields_and_kpis(api, manager, computed):
    nordwind, _ = computed
    card = Scorecard.objects.for_tenant(nordwind.tenant_id).get(partner=nordwind)
    body = api(manager).get(f"{BASE}/scorecards/{card.pk}/").json()
    assert set(body) >= {"partner", "period", "score", "tier", "rank", "cohort_size", "kpis"}
    revenue = next(k for k in body["kpis"] if k["code"] == "revenue")
    assert (
        revenue["target"] == "6000.00"
        and revenue["actual"] == "9000.00"
        and revenue["attainment"] == "1.5000"
    )
    assert set(revenue) >= {"code", "name", "target", "actual", "attainment", "weight", "points"}
    assert body["rank"] == 1 and body["cohort_size"] == 2


def test_scorecards_filter_by_period_partner_tier_and_region(api, manager, computed):
    nordwind, _ = computed
    client = api(manager)
    assert len(client.get(f"{BASE}/scorecards/?period=2026-Q3").json()["results"]) == 2
    assert len(client.get(f"{BASE}/scorecards/?period=2026-Q2").json()["results"]) == 0
    assert len(client.get(f"{BASE}/scorecards/?partner={nordwind.pk}").json()["results"]) == 1
    assert len(client.get(f"{BASE}/scorecards/?tier=B").json()["results"]) == 0
    assert len(client.get(f"{BASE}/scorecards/?region=north").json()["results"]) == 2


def test_partner_scorecard_endpoint_by_period(api, manager, computed):
    nordwind, _ = computed
    client = api(manager)
    assert (
        client.get(f"{BASE}/partners/{nordwind.pk}/scorecard/?period=2026-Q3").json()["period"] == "2026-Q3"
    )
    assert client.get(f"{BASE}/partners/{nordwind.pk}/scorecard/?period=2026-Q1").status_code == 404
    assert client.get(f"{BASE}/partners/{nordwind.pk}/scorecard/?period=soon").status_code == 400


def test_a_partner_user_sees_only_its_own_scorecard(api, tenant, computed, partner_user):
    nordwind, baltic = computed
    client = api(partner_user(tenant, partner=nordwind))
    listed = client.get(f"{BASE}/scorecards/").json()["results"]
    assert [c["partner"] for c in listed] == [nordwind.pk]
    theirs = Scorecard.objects.for_tenant(tenant).get(partner=baltic)
    assert client.get(f"{BASE}/scorecards/{theirs.pk}/").status_code == 404
    assert client.get(f"{BASE}/scorecards/{theirs.pk}/pdf/").status_code == 404


def test_the_pdf_is_a_real_pdf_with_the_partners_name_and_score(api, manager, computed):
    nordwind, _ = computed
    card = Scorecard.objects.for_tenant(nordwind.tenant_id).get(partner=nordwind)
    response = api(manager).get(f"{BASE}/scorecards/{card.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert 1 <= len(reader.pages) <= 2
    assert "Nordwind Systems" in text and str(card.score) in text and "2026-Q3" in text


def test_the_pdf_speaks_the_tenants_language(api, manager, tenant, computed):
    tenant.default_language = "fr"
    tenant.save()
    card = Scorecard.objects.for_tenant(tenant).get(partner=computed[0])
    text = (
        PdfReader(io.BytesIO(api(manager).get(f"{BASE}/scorecards/{card.pk}/pdf/").content))
        .pages[0]
        .extract_text()
    )
    assert "Période 2026-Q3" in text or "Periode 2026-Q3" in text.replace("é", "e")


def test_the_pdfs_charts_speak_the_tenants_language_too(api, manager, tenant, computed):
    # given: a French tenant; Baltic Motion's cohort chart names the other partner by its rank only
    tenant.default_language = "fr"
    tenant.save()
    card = Scorecard.objects.for_tenant(tenant).get(partner=computed[1])

    # when
    pdf = PdfReader(io.BytesIO(api(manager).get(f"{BASE}/scorecards/{card.pk}/pdf/").content))
    text = " ".join(page.extract_text() for page in pdf.pages)

    # then: the chart's words are French, as the page's are
    assert "Partenaire n° 1" in text and "Partner #1" not in text


def test_compute_answers_202_and_the_job_replaces_the_period(
    api, manager, computed, tenant, django_capture_on_commit_callbacks
):
    before = set(Scorecard.objects.for_tenant(tenant).values_list("partner_id", "score"))
    with django_capture_on_commit_callbacks(execute=True):
        response = api(manager).post(f"{BASE}/scorecards/compute/", {"period": "2026-Q3"}, format="json")
    assert response.status_code == 202
    job = Job.objects.for_tenant(tenant).get(pk=response.json()["id"])
    assert job.status == "succeeded" and job.result == {
        "period": "2026-Q3",
        "scorecards": 2,
        "url": "/t/alpha/scorecards/?period=2026-Q3",
    }
    assert set(Scorecard.objects.for_tenant(tenant).values_list("partner_id", "score")) == before


def test_pdf_batch_renders_every_scorecard_into_one_zip(
    api, manager, computed, tenant, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(manager).post(f"{BASE}/scorecards/pdf-batch/", {"period": "2026-Q3"}, format="json")
    job = Job.objects.for_tenant(tenant).get(pk=response.json()["id"])
    assert job.status == "succeeded", job.error
    assert job.result["files"] == 2
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")
    download = client.get(job.result["url"])

    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert [(n.split("-")[0], n.endswith("-2026-Q3.pdf")) for n in sorted(names)] == [
        ("baltic", True),
        ("nordwind", True),
    ]
    assert download["Content-Disposition"] == 'attachment; filename="scorecards-2026-Q3.zip"'


def test_scorecard_list_query_count_is_flat(api, manager, tenant, django_assert_max_num_queries):
    for _ in range(3):
        ScorecardLineFactory(tenant=tenant, scorecard=ScorecardFactory(tenant=tenant))
    client = api(manager)
    with django_assert_max_num_queries(15) as few:
        client.get(f"{BASE}/scorecards/")
    for _ in range(30):
        ScorecardFactory(tenant=tenant)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{BASE}/scorecards/").json()["results"]) == 33


def test_a_partner_registers_products_for_itself(api, tenant, partner_user):
    mine, other = PartnerFactory(tenant=tenant), PartnerFactory(tenant=tenant)
    client = api(partner_user(tenant, partner=mine))
    response = client.post(
        f"{BASE}/product-registrations/",
        {
            "partner": other.pk,
            "customer": "Contoso",
            "product": "RX-200",
            "serial": "SN1",
            "date": "2026-08-01",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["partner"] == mine.pk
    again = client.post(
        f"{BASE}/product-registrations/",
        {"customer": "X", "product": "RX-200", "serial": "SN1"},
        format="json",
    )
    assert again.status_code == 400 and "serial" in again.json()

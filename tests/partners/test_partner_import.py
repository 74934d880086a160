"""Prospects from a trade-show list or a reseller roster (CSV or XLSX): all or nothing, duplicates of
existing partners found by normalised name or web domain, re-import creates nothing twice."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from partners.lifecycle.prospect_import import partners_import
from partners.models import Contact, Partner, StageChange
from prm.imports import ImportRejected
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

ROSTER = (
    "name,region,country,website,source,contact_name,contact_email,owner\n"
    "Nordwind Systems GmbH,North,de,nordwind.de,trade_show,Ana Lima,ana@nordwind.de,maria\n"
    "Baltic Motion,North,LT,https://www.balticmotion.lt,Referral,,,\n"
)


@pytest.fixture
def manager(tenant, member):
    return member(tenant, Role.CHANNEL_MANAGER, username="maria")


def upload(text: str, name="roster.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def run(tenant, actor, file):
    with tenant_context(tenant):
        return partners_import(tenant=tenant, actor=actor, file=file)


def xlsx(rows) -> SimpleUploadedFile:

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def test_a_roster_becomes_prospects_with_contacts_and_owners(tenant, manager):
    result = run(tenant, manager, upload(ROSTER))

    assert (result.created, result.unchanged, result.duplicates) == (2, 0, [])
    with tenant_context(tenant):
        nordwind = Partner.objects.get(name="Nordwind Systems GmbH")
        assert (nordwind.stage, nordwind.country, nordwind.website, nordwind.owner) == (
            "prospecting",
            "DE",
            "https://nordwind.de",
            manager,
        )
        assert nordwind.stage_due_at is not None
        assert Partner.objects.get(name="Baltic Motion").source == "referral"
        assert list(Contact.objects.filter(partner=nordwind).values_list("name", "email")) == [
            ("Ana Lima", "ana@nordwind.de")
        ]
        assert StageChange.objects.filter(to_stage="prospecting").count() == 2


def test_importing_the_same_file_again_creates_nothing_and_names_the_existing_partners(tenant, manager):
    run(tenant, manager, upload(ROSTER))

    again = run(tenant, manager, upload(ROSTER))

    assert (again.created, again.unchanged) == (0, 2)
    with tenant_context(tenant):
        ids = dict(Partner.objects.values_list("name", "id"))
    assert [(d["row"], d["partner"]) for d in again.duplicates] == [
        (2, ids["Nordwind Systems GmbH"]),
        (3, ids["Baltic Motion"]),
    ]


def test_a_company_known_by_another_spelling_or_its_domain_is_a_duplicate(tenant, manager):
    acme = PartnerFactory(tenant=tenant, name="ACME Robotics S.A.")
    fjord = PartnerFactory(tenant=tenant, name="Fjord Industri", website="https://fjord.no")

    result = run(
        tenant,
        manager,
        upload("name,website\nAcme Robotics SA,\nFjord Industries AS,www.fjord.no\nNew One,\n"),
    )

    assert result.created == 1
    assert [(d["field"], d["partner"]) for d in result.duplicates] == [
        ("name", acme.pk),
        ("website", fjord.pk),
    ]


def test_every_bad_row_is_reported_and_nothing_is_written(tenant, manager):
    text = (
        "name,country,website,source,contact_email,owner\n"
        "Good One,DE,,,,\n"
        ",DE,,,,\n"  # no name
        "Bad Country,Germany,,,,\n"
        "Bad Site,DE,not a site,,,\n"
        "Bad Source,DE,,magic,,\n"
        "Bad Mail,DE,,,ana@,\n"
        "Bad Owner,DE,,,,nobody\n"
        "good one,DE,,,,\n"  # the same company as row 2
    )

    with pytest.raises(ImportRejected) as rejected:
        run(tenant, manager, upload(text))

    assert [(e["row"], e["field"]) for e in rejected.value.errors] == [
        (3, "name"),
        (4, "country"),
        (5, "website"),
        (6, "source"),
        (7, "contact_email"),
        (7, "contact_name"),
        (8, "owner"),
        (9, "name"),
    ]
    with tenant_context(tenant):
        assert not Partner.objects.exists()


def test_an_excel_roster_is_read_like_a_csv(tenant, manager):
    result = run(
        tenant,
        manager,
        xlsx(
            [
                ["name", "region", "country"],
                ["Nordwind Systems", "North", "DE"],
                [None, None, None],
                ["Baltic Motion", "North", "LT"],
            ]
        ),
    )

    assert result.created == 2


def test_the_api_and_the_page_import_and_report_duplicates(tenant, manager, api, web, member):
    first = api(manager).post(
        "/api/v1/tenants/alpha/partners/import/", {"file": upload(ROSTER)}, format="multipart"
    )
    again = web(manager).post("/t/alpha/partners/import/", {"file": upload(ROSTER)})
    bad = api(manager).post(
        "/api/v1/tenants/alpha/partners/import/", {"file": upload("name\n\n,\n")}, format="multipart"
    )
    finance = api(member(tenant, Role.FINANCE)).post(
        "/api/v1/tenants/alpha/partners/import/", {"file": upload(ROSTER)}, format="multipart"
    )

    assert first.status_code == 200 and (first.json()["created"], first.json()["duplicates"]) == (2, [])
    assert again.status_code == 200
    page = again.content.decode()
    assert 'data-testid="duplicates"' in page and "2 rows were here already" in page
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "name"
    assert finance.status_code == 403


def test_the_operating_model_is_a_type_that_filters_lists_and_exports(tenant, manager, api, web):
    # given: imported with their operating models
    run(
        tenant,
        manager,
        upload("name,operating_model\nProjects Ltd,project\nBoxes Ltd,product\nUnknown Ltd,\n"),
    )

    # when
    projects = api(manager).get("/api/v1/tenants/alpha/partners/?operating_model=project").json()["results"]
    page = web(manager).get("/t/alpha/partners/?operating_model=product").content.decode()
    export = (
        api(manager).get("/api/v1/tenants/alpha/partners/export/?operating_model=product").content.decode()
    )

    # then
    assert [(p["name"], p["operating_model"]) for p in projects] == [("Projects Ltd", "project")]
    assert "Boxes Ltd" in page and "Projects Ltd" not in page
    assert (
        export.splitlines()[0].split(",")[5] == "operating_model"
        and "Boxes Ltd" in export
        and "Projects" not in export
    )


def test_an_unknown_operating_model_is_refused_naming_the_row(tenant, manager):
    with pytest.raises(ImportRejected) as rejected:
        run(tenant, manager, upload("name,operating_model\nOdd Ltd,franchise\n"))

    assert [(e["row"], e["field"]) for e in rejected.value.errors] == [(2, "operating_model")]


def declaring_rows(upload: SimpleUploadedFile, rows: int) -> SimpleUploadedFile:
    """The workbook with its sheet's <dimension> claiming ``rows`` rows (blank but for the real ones)."""
    source, out = zipfile.ZipFile(io.BytesIO(upload.read())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', f'<dimension ref="A1:C{rows}"'.encode(), data)
            target.writestr(member, data)
    return SimpleUploadedFile("roster.xlsx", out.getvalue())


def test_a_workbook_of_countless_blank_rows_is_refused_naming_the_limit(tenant, manager, api, settings):
    settings.PRM_MAX_IMPORT_ROWS = 1000
    book = declaring_rows(xlsx([["name", "region", "country"], ["Nordwind Systems", "North", "DE"]]), 5000)

    response = api(manager).post("/api/v1/tenants/alpha/partners/import/", {"file": book}, format="multipart")

    assert response.status_code == 400
    assert "more than 1000 rows" in response.json()["errors"][0]["message"]
    with tenant_context(tenant):
        assert not Partner.objects.exists()


def test_a_workbook_beyond_the_row_cap_is_refused_and_at_the_cap_read(tenant, manager, settings):
    settings.PRM_MAX_IMPORT_ROWS = 2
    header = ["name", "region", "country"]
    with pytest.raises(ImportRejected) as refused:
        run(tenant, manager, xlsx([header, ["A", "North", "DE"], ["B", "North", "DE"], ["C", "North", "DE"]]))
    assert refused.value.errors[0]["message"] == "The sheet has more than 2 rows; split it."
    assert run(tenant, manager, xlsx([header, ["A", "North", "DE"], ["B", "North", "DE"]])).created == 2


def test_a_workbook_that_unzips_beyond_the_cap_is_refused_naming_it(tenant, manager, web, settings):
    settings.PRM_MAX_IMPORT_UNZIPPED_BYTES = 2**20
    rows = [["name", "region", "country"]] + [[f"P{n}", "x" * 30000, "DE"] for n in range(60)]

    response = web(manager).post("/t/alpha/partners/import/", {"file": xlsx(rows)})

    assert response.status_code == 400
    assert "unzips to more than 1 MB" in response.content.decode()

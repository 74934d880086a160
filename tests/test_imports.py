"""One set of tests for every CSV import (sales, targets, exchange rates, reference lists): they share one reader.

Each import refuses a file it cannot read whole (too large, not UTF-8, not
text, a missing column) with a 400 naming the row and field, writes nothing
then, reads a large file to its last row, and re-importing creates nothing
twice.
"""

import io
from dataclasses import dataclass

import pytest

from partners.models import ReferenceItem, Sale
from prm.currency.models import ExchangeRate
from prm.tenancy.choices import Role
from scorecards.models import Target
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Importer:
    name: str
    path: str
    header: str
    model: type

    def row(self, n: int, partner) -> str:
        if self.name == "sales":
            return f"S{n},{partner.pk},2026-07-{1 + n % 28:02d},Module,{100 + n}.50"
        if self.name == "targets":
            return f"{partner.pk},2026-{1 + n % 12:02d},revenue,{1000 + n}"
        if self.name == "reference":
            return f"region,Region {n:06d}"
        day = 1 + n % 28
        month, year = 1 + (n // 28) % 12, 2000 + n // (28 * 12)
        return f"USD,{year}-{month:02d}-{day:02d},1.{n % 10000:04d}"


IMPORTERS = [
    Importer("sales", "sales/import/", "external_id,partner,date,product,amount", Sale),
    Importer("targets", "targets/import/", "partner,period,kpi,value", Target),
    Importer("rates", "exchange-rates/import/", "currency,date,rate", ExchangeRate),
    Importer("reference", "reference-data/import/", "kind,name", ReferenceItem),
]


@pytest.fixture(params=IMPORTERS, ids=[i.name for i in IMPORTERS])
def importer(request):
    return request.param


@pytest.fixture
def upload(api, tenant, member):
    client = api(member(tenant, Role.ADMIN))

    def send(importer, content: bytes):
        file = io.BytesIO(content)
        file.name = "data.csv"
        return client.post(
            f"/api/v1/tenants/{tenant.slug}/{importer.path}", {"file": file}, format="multipart"
        )

    return send


def csv_of(importer, partner, rows: int, header: str | None = None) -> bytes:
    lines = [header if header is not None else importer.header]
    lines += [importer.row(n, partner) for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def count(importer, tenant) -> int:
    return importer.model.objects.for_tenant(tenant).count()


def test_a_file_above_the_limit_is_refused_whole_never_read_in_part(importer, upload, tenant, settings):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    content = csv_of(importer, partner, 200)
    settings.PRM_MAX_IMPORT_BYTES = len(content) - 10  # the last row would be cut

    response = upload(importer, content)

    assert response.status_code == 400
    assert (
        response.json()["errors"][0]["field"] == "file"
        and "larger than" in response.json()["errors"][0]["message"]
    )
    assert count(importer, tenant) == 0


def test_a_large_file_is_read_to_its_last_row(importer, upload, tenant, settings):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    rows = 6000 if importer.name != "targets" else 12  # targets: one per partner, period and KPI
    content = csv_of(importer, partner, rows)
    settings.PRM_MAX_IMPORT_BYTES = len(content)  # exactly at the limit is fine

    response = upload(importer, content)

    assert response.status_code in (200, 201), response.json()
    assert response.json()["created"] == rows and count(importer, tenant) >= rows
    if importer.name == "rates":  # the last row's value is stored exactly, not cut
        last = ExchangeRate.objects.for_tenant(tenant).order_by("-date").first()
        assert str(last.rate).rstrip("0") == importer.row(rows - 1, partner).split(",")[2].rstrip("0")


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        ("header,only\n".encode("utf-16"), "file", "not"),
        (b"\x00\x01\x02binary", "file", "not a text"),
        ("caf\xe9,\n".encode("latin-1"), "file", "UTF-8"),
    ],
    ids=["utf-16", "binary", "latin-1"],
)
def test_a_file_that_is_not_utf8_text_is_refused(importer, upload, tenant, content, field, words):
    response = upload(importer, content)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == field and words in error["message"]
    assert count(importer, tenant) == 0


def test_a_missing_column_is_named(importer, upload, tenant):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    columns = importer.header.split(",")
    response = upload(importer, csv_of(importer, partner, 1, header=",".join(columns[:-1])))
    assert response.status_code == 400
    assert {"row": 1, "field": columns[-1], "message": "Missing column."} in response.json()["errors"]


def test_a_bom_is_accepted_and_reimporting_creates_nothing_twice(importer, upload, tenant):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    content = b"\xef\xbb\xbf" + csv_of(importer, partner, 5)

    first, again = upload(importer, content), upload(importer, content)

    assert first.json()["created"] == 5, first.json()
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 5)


def test_one_bad_row_writes_nothing_and_names_its_row(importer, upload, tenant):
    partner = PartnerFactory(tenant=tenant, stage="signed")
    good = csv_of(importer, partner, 3).decode()
    bad_value = {
        "sales": "S9,{p},2026-07-01,Module,lots",
        "targets": "{p},2026-07,revenue,lots",
        "rates": "USD,2026-07-01,lots",
        "reference": "planet,Mars",
    }[importer.name].format(p=partner.pk)

    response = upload(importer, (good + bad_value + "\n").encode())

    assert response.status_code == 400
    assert [e["row"] for e in response.json()["errors"]] == [5]
    assert count(importer, tenant) == 0

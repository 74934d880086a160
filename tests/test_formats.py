"""One figure, formatted per the rules wherever it appears: in the reader's conventions on the page and
in the PDF (English and French), in machine form in the CSV and XLSX whatever the language."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from incentives.models import PayoutRun
from prm.formats.display import machine_date, machine_decimal, money, percent, ratio_percent, short_date
from prm.portal.charts import Bar, bar_chart
from prm.portal.responses import DATA_FORMATS
from prm.tenancy.choices import Role
from tests.factories import PartnerFactory, PaymentFactory, PayoutLineFactory, PayoutRunFactory

AMOUNT = Decimal("12345.60")
#: the same figure as each language writes it (French groups with a no-break space)
FIGURE = {"en": "12,345.60", "fr": "12\u00a0345,60"}


@pytest.fixture
def run(tenant):
    partner = PartnerFactory(tenant=tenant, name="Nordwind Systems", payee_reference="DE11 5001")
    run = PayoutRunFactory(tenant=tenant, period="2026-Q3", currency="EUR")
    PayoutLineFactory(tenant=tenant, run=run, partner=partner, amount=AMOUNT, explanation="Bonus")
    PayoutRun.objects.for_tenant(tenant).filter(pk=run.pk).update(status="approved")  # lines, then approved
    run.refresh_from_db()
    PaymentFactory(tenant=tenant, run=run, partner=partner, amount=AMOUNT, paid_on=date(2026, 10, 3))
    return run, partner


def _pdf_text(content: bytes) -> str:
    """The PDF's text as pdftotext reads it (what a person copies out of it)."""
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_page_and_the_pdf_write_the_figure_and_the_date_in_the_readers_language(
    run, member, web, language
):
    run, partner = run
    client = web(member(run.tenant, Role.FINANCE))

    page = client.get(f"/t/alpha/payouts/{run.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    pdf = client.get(
        f"/t/alpha/payouts/{run.pk}/statement/?partner={partner.pk}", HTTP_ACCEPT_LANGUAGE=language
    )

    text = _pdf_text(pdf.content)
    assert f'<td class="num">{FIGURE[language]}</td>' in page
    # pdftotext gives a no-break space back as a space
    assert f"{FIGURE[language]} EUR".replace("\u00a0", " ") in text.replace("\u00a0", " ")
    day = {"en": "10/03/2026", "fr": "03/10/2026"}[language]
    assert day in text  # paid on 3 October 2026, in the reader's date order


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_csv_and_the_xlsx_keep_machine_formats_whatever_the_language(run, member, web, language):
    run, _partner = run
    client = web(member(run.tenant, Role.FINANCE))

    as_csv = client.get(f"/t/alpha/payouts/{run.pk}/export/?format=csv", HTTP_ACCEPT_LANGUAGE=language)
    as_xlsx = client.get(f"/t/alpha/payouts/{run.pk}/export/?format=xlsx", HTTP_ACCEPT_LANGUAGE=language)

    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    line = next(r for r in rows if r["row"] == "line")
    assert line["amount"] == "12345.60" and line["currency"] == "EUR"
    assert as_csv["X-Data-Formats"] == DATA_FORMATS == as_xlsx["X-Data-Formats"]
    book = load_workbook(io.BytesIO(as_xlsx.content))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("amount") + 1)
    assert cell.value == pytest.approx(12345.60) and isinstance(cell.value, float)  # a number, not text
    assert cell.number_format == "#,##0.00"
    assert book.properties.description == DATA_FORMATS


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("12,345.60 EUR", "87.2%", "100.4%", "10/03/2026")),
        ("fr", ("12\u00a0345,60 EUR", "87,2\u00a0%", "100,4\u00a0%", "03/10/2026")),
        ("es", ("12\u00a0345,60 EUR", "87,2\u00a0%", "100,4\u00a0%", "03/10/2026")),
        ("pt-br", ("12.345,60 EUR", "87,2%", "100,4%", "03/10/2026")),
    ],
)
def test_money_percentages_and_dates_follow_the_language(language, expected):
    with translation.override(language):
        written = (
            money(AMOUNT, "EUR"),
            percent(Decimal("87.17")),
            ratio_percent(Decimal("1.0043")),
            short_date(date(2026, 10, 3)),
        )
    assert written == expected


def test_machine_forms_ignore_the_language():
    with translation.override("fr"):
        assert machine_decimal(Decimal("269210.85")) == "269210.85"
        assert machine_date(date(2026, 10, 3)) == "2026-10-03"


def test_a_charts_figures_use_the_readers_separators():
    with translation.override("fr"):
        svg = bar_chart([Bar("Nordwind", 1234.5)], title="Revenue")
    assert "1\u00a0234,5" in svg and "1234.5" not in svg

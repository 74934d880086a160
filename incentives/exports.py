"""Finance exports of an approved run: CSV and XLSX, one row per partner and rule, with totals."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _

COLUMNS = ["partner_id", "partner", "payee_reference", "rule", "kind", "amount", "currency", "period"]


def _rows(run, rows):
    for row in rows:
        yield [
            row["partner_id"], row["partner__name"], row["partner__payee_reference"], row["rule__name"] or _("Adjustment"),
            row["kind"], row["amount"], run.currency, run.period,
        ]  # fmt: skip


def _total(rows) -> Decimal:
    return sum((row["amount"] for row in rows), Decimal(0))


def _safe(value):
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "@") or (text[:1] == "-" and not _is_number(text)) else value


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def run_csv(run, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for values in _rows(run, rows):
        writer.writerow(
            [_safe(v) if isinstance(v, str) else f"{v:.2f}" if isinstance(v, Decimal) else v for v in values]
        )
    writer.writerow(["", _("Total"), "", "", "", f"{_total(rows):.2f}", run.currency, run.period])
    return buffer.getvalue()


def run_xlsx(run, rows, points=()) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = run.period
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in _rows(run, rows):
        sheet.append([_safe(v) if isinstance(v, str) else v for v in values])
        sheet.cell(row=sheet.max_row, column=6).number_format = "#,##0.00"
    sheet.append(["", _("Total"), "", "", "", _total(rows), run.currency, run.period])
    sheet.cell(row=sheet.max_row, column=6).number_format = "#,##0.00"
    sheet.cell(row=sheet.max_row, column=2).font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (10, 32, 18, 28, 12, 14, 9, 9), strict=True):
        sheet.column_dimensions[column].width = width
    if points:  # points are not money: a sheet of their own
        ledger = book.create_sheet(_("Points"))
        ledger.append(["partner_id", "partner", "payee_reference", "points", "period"])
        for cell in ledger[1]:
            cell.font = Font(bold=True)
        for row in points:
            ledger.append([row["partner_id"], _safe(row["partner__name"]), _safe(row["partner__payee_reference"]),
                           row["points"], run.period])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_download(tenant, run, kind: str):
    """The run's export as a file download (``kind`` csv or xlsx)."""
    from prm.portal.responses import CSV, XLSX, attachment

    from .selectors import export_points, export_rows

    rows = export_rows(tenant=tenant, run=run)
    if kind == "xlsx":
        body, content_type = run_xlsx(run, rows, export_points(tenant=tenant, run=run)), XLSX
    else:
        body, content_type = run_csv(run, rows), CSV
    return attachment(body, content_type, f"payouts-{tenant.slug}-{run.period}.{kind}")


def statement_download(run, partner):
    from prm.portal.responses import PDF, attachment

    from .pdf import render_statement

    return attachment(render_statement(run, partner), PDF, f"statement-{partner.pk}-{run.period}.pdf")

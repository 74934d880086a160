"""Finance exports of an approved run: CSV and XLSX, one row per partner and rule, with totals.

Rows come in partner order: each partner's lines (``row`` = ``line``), then that partner's
``subtotal`` (what is paid to the payee reference), and one ``total`` row at the end. A
program that reads the file keeps the ``line`` rows to get the detail, or the ``subtotal``
rows to get one payment per partner; the two always add up to the ``total``.
"""

from __future__ import annotations

import io
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from prm.formats.display import machine_decimal
from prm.portal.responses import CSV, DATA_FORMATS, PDF, XLSX, attachment, csv_text, safe_cell

from .pdf import render_statement
from .selectors import export_points, export_rows

COLUMNS = ["partner_id", "partner", "payee_reference", "rule", "kind", "amount", "currency", "period", "row"]
AMOUNT = COLUMNS.index("amount") + 1  # 1-based, as spreadsheets count


def _rows(run, rows):
    """The sheet's rows: lines, a subtotal after each partner's lines, the total last."""
    total = Decimal(0)
    for _partner, lines in groupby(rows, key=itemgetter("partner_id")):
        subtotal = Decimal(0)
        for row in lines:
            yield [
                row["partner_id"],
                row["partner__name"],
                row["partner__payee_reference"],
                row["rule__name"] or _("Adjustment"),
                row["kind"],
                row["amount"],
                run.currency,
                run.period,
                "line",
            ]
            subtotal += row["amount"]
        yield [
            row["partner_id"],
            row["partner__name"],
            row["partner__payee_reference"],
            _("Subtotal"),
            "",
            subtotal,
            run.currency,
            run.period,
            "subtotal",
        ]
        total += subtotal
    yield ["", _("Total"), "", "", "", total, run.currency, run.period, "total"]


def run_csv(run, rows) -> str:
    return csv_text(
        [
            COLUMNS,
            *(
                [machine_decimal(v) if isinstance(v, Decimal) else v for v in values]
                for values in _rows(run, rows)
            ),
        ]
    )


def run_xlsx(run, rows, points=()) -> bytes:

    book = Workbook()
    book.properties.description = (
        DATA_FORMATS  # amounts are number cells: the spreadsheet's locale shows them
    )
    sheet = book.active
    sheet.title = run.period
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in _rows(run, rows):
        sheet.append([safe_cell(v) for v in values])
        sheet.cell(row=sheet.max_row, column=AMOUNT).number_format = "#,##0.00"
        if values[-1] != "line":
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHI", (10, 32, 18, 28, 12, 14, 9, 9, 9), strict=True):
        sheet.column_dimensions[column].width = width
    if points:  # points are not money: a sheet of their own
        ledger = book.create_sheet(_("Points"))
        ledger.append(["partner_id", "partner", "payee_reference", "points", "period"])
        for cell in ledger[1]:
            cell.font = Font(bold=True)
        for row in points:
            ledger.append(
                [
                    row["partner_id"],
                    safe_cell(row["partner__name"]),
                    safe_cell(row["partner__payee_reference"]),
                    row["points"],
                    run.period,
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run_download(tenant, run, kind: str):
    """The run's export as a file download (``kind`` csv or xlsx)."""

    rows = export_rows(tenant=tenant, run=run)
    if kind == "xlsx":
        body, content_type = run_xlsx(run, rows, export_points(tenant=tenant, run=run)), XLSX
    else:
        body, content_type = run_csv(run, rows), CSV
    return attachment(body, content_type, f"payouts-{tenant.slug}-{run.period}.{kind}")


def statement_download(run, partner, language: str | None = None):
    """The partner's statement PDF in the reader's ``language``."""
    return attachment(
        render_statement(run, partner, language), PDF, f"statement-{partner.pk}-{run.period}.pdf"
    )


EFFECTIVENESS_COLUMNS = [
    "rule_id",
    "rule_key",
    "rule",
    "kind",
    "period",
    "baseline",
    "currency",
    "paid",
    "accrued",
    "cost",
    "partners_reached",
    "revenue",
    "baseline_revenue",
    "growth",
    "comparison",
    "comparable_partners",
    "comparable_revenue",
    "comparable_baseline_revenue",
    "comparable_growth",
    "difference",
    "incremental_revenue",
    "return_per_unit",
    "activities_claimed",
    "claimed",
    "deals_after",
    "deals_won",
    "leads_after",
]


#: the columns that are ratios, written with four decimals
RATIO_COLUMNS = {"growth", "comparable_growth", "difference"}


def _cell(value, column: str):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return machine_decimal(value, 4 if column in RATIO_COLUMNS else 2)
    return value


def effectiveness_csv(result) -> str:
    """The effectiveness report (``incentives.effectiveness.report``), a row per rule; growth and the
    difference are ratios (0.125 is 12.5%), empty where there is no baseline."""
    baseline = "/".join(p.code for p in result.baseline_periods)
    return csv_text(
        [
            EFFECTIVENESS_COLUMNS,
            *(
                [
                    _cell(v, column)
                    for column, v in zip(
                        EFFECTIVENESS_COLUMNS,
                        (
                            e.rule_id,
                            str(e.rule_key),
                            e.rule_name,
                            e.kind,
                            result.period.code,
                            baseline,
                            result.currency,
                            e.paid,
                            e.accrued,
                            e.cost,
                            e.reached.partners,
                            e.reached.revenue,
                            e.reached.baseline,
                            e.reached.growth,
                            e.comparison,
                            e.comparable.partners,
                            e.comparable.revenue,
                            e.comparable.baseline,
                            e.comparable.growth,
                            e.difference,
                            e.incremental,
                            e.return_per_unit,
                            e.activities,
                            e.claimed,
                            e.deals,
                            e.won_deals,
                            e.leads,
                        ),
                        strict=True,
                    )
                ]
                for e in result.rules
            ),
        ]
    )


def effectiveness_download(tenant, result):
    return attachment(effectiveness_csv(result), CSV, f"effectiveness-{tenant.slug}-{result.period.code}.csv")

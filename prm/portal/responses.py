"""File downloads, for pages and API views alike.

CSV and XLSX files are made for programs and spreadsheets: whatever the reader's language, dates
are ISO 8601, decimals have a dot and no thousands separator (XLSX cells are typed numbers and
dates with a number format, so a spreadsheet shows them in its own locale). Every such download
says so in its ``X-Data-Formats`` header (``DATA_FORMATS``); ``docs/exports.md`` describes it.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

CSV = "text/csv; charset=utf-8"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: How figures are written in CSV and XLSX downloads (the value of their ``X-Data-Formats`` header).
DATA_FORMATS = "dates=ISO-8601; decimal-mark=dot; thousands-separator=none"


def attachment(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if content_type in (CSV, XLSX):
        response["X-Data-Formats"] = DATA_FORMATS
    return response


def safe_cell(value):
    """Text a spreadsheet would run as a formula, quoted; numbers (also negative ones) kept.

    Non-text values pass through unchanged.
    """
    if not isinstance(value, str):
        return value
    if value[:1] in ("=", "+", "@", "\t", "\r") or (value[:1] == "-" and not _is_number(value)):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def csv_text(rows) -> str:
    """Rows as CSV text, every text cell made safe for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def csv_stream(rows, filename: str) -> StreamingHttpResponse:
    """Rows as a CSV file download sent as they come (cells made safe as ``csv_text`` makes them):
    a file of any length, never held whole. ``rows`` reads its own data in its own scope (querysets
    made with ``for_tenant``), since it runs after the view has returned."""

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([safe_cell(value) for value in row])
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Data-Formats"] = DATA_FORMATS
    return response

"""What every CSV and XLSX import shares: reading the whole file or refusing it, and one answer shape.

``read_csv`` is the one way a file comes in (sales, targets, exchange rates,
and any importer after them): it reads at most ``PRM_MAX_IMPORT_BYTES`` and
refuses a larger file outright (never a partial read: a row cut at the limit
would store a wrong value), accepts UTF-8 with or without a byte-order mark,
checks the header for the required columns and reports every problem as
``{"row", "field", "message"}`` with the row number of the file. The
importers then check their rows, write nothing unless every row is good,
and write a known row once (idempotent). An Excel workbook (``read_table``) is
streamed and refused beyond ``PRM_MAX_IMPORT_ROWS`` rows or
``PRM_MAX_IMPORT_UNZIPPED_BYTES`` unzipped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from zipfile import BadZipFile, ZipFile

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from prm.ops import metrics


class ImportRejected(Exception):
    """The file was not imported; ``errors`` lists ``{"row", "field", "message"}``."""

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


@dataclass
class ImportResult:
    created: int
    unchanged: int
    #: rows not imported because the thing exists already (``{"row", "field", "message", ...}``)
    duplicates: list = field(default_factory=list)

    def __post_init__(self):
        metrics.import_taken(self.created, self.unchanged)


def error(row: int, field: str, message) -> dict:
    return {"row": row, "field": field, "message": str(message)}


XLSX_MAGIC = b"PK\x03\x04"


def _read_whole(file):
    limit = settings.PRM_MAX_IMPORT_BYTES
    raw = file.read(limit + 1)
    if len(raw) > limit:
        raise ImportRejected(
            [error(0, "file", _("The file is larger than %(mb)d MB; split it.") % {"mb": limit // 2**20})]
        )
    return raw


def read_table(file, required: list[str] | tuple[str, ...]) -> list[tuple[int, dict]]:
    """A CSV or an Excel workbook (its first sheet), as ``read_csv`` gives rows; told apart by content."""
    raw = _read_whole(file)
    if isinstance(raw, bytes) and raw.startswith(XLSX_MAGIC):
        return _xlsx_rows(raw, required)
    return read_csv(io.BytesIO(raw) if isinstance(raw, bytes) else io.StringIO(raw), required)


#: Columns read from a sheet; any further right are ignored (a sheet's declared width pads every row).
XLSX_COLUMNS = 256


def _xlsx_rows(raw: bytes, required) -> list[tuple[int, dict]]:
    """The first sheet, streamed (read-only), within ``PRM_MAX_IMPORT_UNZIPPED_BYTES`` unzipped and
    ``PRM_MAX_IMPORT_ROWS`` rows: a small file can declare millions of blank rows, which the
    read-only reader would hand out one by one."""

    try:
        _refuse_large_unzipped(raw)
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            table = _sheet_rows(book.worksheets[0])
        finally:
            book.close()
    except (BadZipFile, KeyError, ValueError, IndexError, OSError) as exc:
        raise ImportRejected(
            [error(0, "file", _("Not a readable Excel workbook: %(e)s") % {"e": exc})]
        ) from None
    if not table:
        raise ImportRejected([error(1, "file", _("The file has no rows."))])
    header = [str(h).strip() if h is not None else "" for h in table[0]]
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportRejected([error(1, column, _("Missing column.")) for column in missing])
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if all(v in (None, "") for v in values):
            continue  # a blank line, as a CSV reader skips it
        rows.append((number, {h: _cell_text(v) for h, v in zip(header, values, strict=False) if h}))
    if not rows:
        raise ImportRejected([error(1, "file", _("The file has no rows."))])
    return rows


def _refuse_large_unzipped(raw: bytes) -> None:
    # the sizes the zip declares; reading a member never gives more than its declared size
    limit = settings.PRM_MAX_IMPORT_UNZIPPED_BYTES
    with ZipFile(io.BytesIO(raw)) as archive:
        if sum(member.file_size for member in archive.infolist()) > limit:
            raise ImportRejected(
                [
                    error(
                        0,
                        "file",
                        _("The workbook unzips to more than %(mb)d MB; split it.") % {"mb": limit // 2**20},
                    )
                ]
            )


def _sheet_rows(sheet) -> list[tuple]:
    limit = settings.PRM_MAX_IMPORT_ROWS
    too_many = ImportRejected(
        [error(0, "file", _("The sheet has more than %(rows)d rows; split it.") % {"rows": limit})]
    )
    if (sheet.max_row or 0) > limit + 1:  # the sheet's declared size (its <dimension>), header included
        raise too_many
    table = []
    width = min(sheet.max_column or XLSX_COLUMNS, XLSX_COLUMNS)
    for values in sheet.iter_rows(values_only=True, max_col=width):
        if len(table) > limit:
            raise too_many
        table.append(values)
    return table


def _cell_text(value) -> str:
    """A cell as the text a CSV would hold: 12.0 → "12", a date → "2026-07-01"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and hasattr(value, "hour"):
        return (
            value.date().isoformat()
            if (value.hour, value.minute, value.second) == (0, 0, 0)
            else value.isoformat()
        )
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def read_csv(file, required: list[str] | tuple[str, ...]) -> list[tuple[int, dict]]:
    """The rows of an uploaded CSV as ``(line number, {column: stripped value})``, or ImportRejected."""
    raw = _read_whole(file)
    if (b"\x00" if isinstance(raw, bytes) else "\x00") in raw:
        raise ImportRejected([error(0, "file", _("The file is not a text CSV."))])
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRejected([error(0, "file", _("The file is not UTF-8 text."))]) from None
    reader = csv.DictReader(io.StringIO(raw))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [column for column in required if column not in header]
        if missing:
            raise ImportRejected([error(1, column, _("Missing column.")) for column in missing])
        reader.fieldnames = header
        # line_num, not a counter: DictReader skips blank lines, and the row number must match the file
        rows = [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    except csv.Error as exc:
        raise ImportRejected(
            [error(reader.line_num, "file", _("Not a readable CSV: %(e)s") % {"e": exc})]
        ) from None
    if not rows:
        raise ImportRejected([error(1, "file", _("The file has no rows."))])
    return rows

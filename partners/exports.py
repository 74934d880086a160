"""CSV of the partner list, as filtered."""

import csv
import io

from prm.formats.display import machine_date
from prm.portal.responses import safe_cell

COLUMNS = [
    "id",
    "name",
    "region",
    "country",
    "industry",
    "operating_model",
    "source",
    "referrer",
    "owner",
    "stage",
    "stage_entered_at",
    "stage_due_at",
    "overdue",
    "tier",
    "tier_overridden",
    "created_at",
]


def partners_csv(partners) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for p in partners:
        writer.writerow(
            [
                p.pk,
                _cell(p.name),
                _cell(p.region),
                _cell(p.country),
                _cell(p.industry),
                p.operating_model,
                p.source,
                _cell(p.referrer),
                p.owner.username if p.owner_id else "",
                p.stage,
                _iso(p.stage_entered_at),
                _iso(p.stage_due_at),
                "yes" if p.overdue else "no",
                p.tier,
                "yes" if p.tier_overridden else "no",
                _iso(p.created_at),
            ]
        )
    return buffer.getvalue()


def _cell(value):
    """Text that a spreadsheet would run as a formula is quoted."""
    return safe_cell("" if value is None else str(value))


def _iso(value):
    return machine_date(value)

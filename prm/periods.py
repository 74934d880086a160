"""Periods: calendar months (``2026-07``) and quarters (``2026-Q3``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    code: str

    @property
    def is_quarter(self) -> bool:
        return "Q" in self.code

    def previous(self) -> Period:
        return period_containing(self.start - timedelta(days=1), quarter=self.is_quarter)

    def next(self) -> Period:
        return period_containing(self.end + timedelta(days=1), quarter=self.is_quarter)

    def __str__(self):
        return self.code


def parse_period(code: str) -> Period:
    """``2026-07`` or ``2026-Q3`` into a Period; a clear error otherwise."""
    code = (code or "").strip().upper()
    if match := _MONTH.match(code):
        year, month = int(match[1]), int(match[2])
        start = date(year, month, 1)
        end = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
        return Period(start, end, f"{year}-{month:02d}")
    if match := _QUARTER.match(code):
        year, quarter = int(match[1]), int(match[2])
        start = date(year, 3 * quarter - 2, 1)
        end = parse_period(f"{year}-{3 * quarter:02d}").end
        return Period(start, end, f"{year}-Q{quarter}")
    raise ValidationError({"period": [_("Use a month like 2026-07 or a quarter like 2026-Q3.")]})


def period_containing(day: date, *, quarter: bool = True) -> Period:
    if quarter:
        return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    return parse_period(f"{day.year}-{day.month:02d}")


def last_periods(period: Period, count: int) -> list[Period]:
    """``count`` periods ending with ``period``, oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods

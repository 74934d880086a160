"""One formatting of numbers, money, percentages and dates, for every place a person reads them.

People read figures in the active language's conventions (Django's localisation: separators and
date order of ``en``, ``es``, ``fr``, ``it``, ``pt-br``, ``zh-hans``): pages, PDFs, e-mails and
chart labels all call these helpers, or the template filters of the same names
(``prm.portal.templatetags.formats``, a template builtin, so no ``{% load %}`` is needed).

- numbers: grouped thousands, the language's decimal mark (``number(1234.5, 2)`` → ``1,234.50``
  in English, ``1 234,50`` in French);
- money: two decimals and the ISO 4217 code after the figure (``1,234.50 EUR``);
- percentages: one decimal and the language's percent sign spacing (``87.2%``, ``87,2 %``);
- dates: the language's ``SHORT_DATE_FORMAT`` (``10/03/2026``, ``03/10/2026``), datetimes in the
  current time zone with ``SHORT_DATETIME_FORMAT``.

Files made for programs (CSV, XLSX) use the machine forms instead (``machine_decimal``,
``machine_date``): ISO 8601 dates, a dot for decimals and no thousands separator, whatever the
language; ``docs/exports.md`` says so to the people who read them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone, translation

#: Languages that put a (non-breaking) space between a figure and its percent sign.
SPACED_PERCENT = ("fr", "es")
#: What stands for a missing figure.
MISSING = "—"


def _decimal(value) -> Decimal | None:
    """``value`` as a Decimal (numbers and numeric text alike), or None when it is no number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value, decimals: int | None = None) -> str:
    """A figure in the reader's conventions, thousands grouped; ``decimals`` places when given (else
    as many as the value has). Anything that is no number is returned as text unchanged."""
    figure = _decimal(value)
    if figure is None:
        return MISSING if value is None or value == "" else str(value)
    if decimals is not None:
        figure = figure.quantize(Decimal(1).scaleb(-decimals))
    return formats.number_format(figure, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def money(value, currency: str = "") -> str:
    """An amount with two decimals and its currency code: ``1,234.50 EUR``."""
    if _decimal(value) is None:
        return number(value)
    shown = number(value, 2)
    return f"{shown} {currency}" if currency else shown


def percent(value, decimals: int = 1) -> str:
    """A value already in percent (87.17) with one decimal and the sign: ``87.2%`` / ``87,2 %``."""
    if _decimal(value) is None:
        return number(value)
    language = (translation.get_language() or "en").lower()
    sign = "\u00a0%" if language.split("-")[0] in SPACED_PERCENT else "%"
    return f"{number(value, decimals)}{sign}"


def ratio_percent(value, decimals: int = 1) -> str:
    """A ratio (0.8717) as a percentage: ``87.2%``."""
    figure = _decimal(value)
    return number(value) if figure is None else percent(figure * 100, decimals)


def short_date(value) -> str:
    """A date (or a datetime, in the current time zone) in the language's short date order."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "SHORT_DATE_FORMAT", use_l10n=True)


def long_date(value) -> str:
    """A date in words where there is room for it (``Oct. 3, 2026``, ``3 octobre 2026``)."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "DATE_FORMAT", use_l10n=True)


def short_datetime(value) -> str:
    """A moment in the current time zone, in the language's short date and time."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATETIME_FORMAT", use_l10n=True)


def machine_decimal(value, decimals: int = 2) -> str:
    """An amount for a program: a dot, ``decimals`` places, no grouping (``1234.50``); '' for none."""
    figure = _decimal(value)
    return "" if figure is None else f"{figure:.{decimals}f}"


def machine_date(value) -> str:
    """A date or moment for a program: ISO 8601 (``2026-10-03``, ``2026-10-03T14:05:00+00:00``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)

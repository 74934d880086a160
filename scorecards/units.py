"""A KPI's figures in its unit (``Kpi.unit``), with the project's formatting helpers
(``prm.formats.display``): money with the tenant's currency, percentages with their sign, other
figures as numbers. Pages, PDFs and lists of scorecards, KPIs and targets show them so."""

from __future__ import annotations

from prm.formats import display

from .choices import KpiUnit


def kpi_value(value, unit: str, currency: str = "") -> str:
    """``value`` (a target or an actual) as its unit shows it: ``120,000.00 EUR``, ``87.2%``, ``3``;
    "—" for none."""
    if unit == KpiUnit.MONEY:
        return display.money(value, currency)
    if unit == KpiUnit.PERCENT:
        return display.percent(value)
    return display.number(value)

"""Money: Decimal throughout, converted at the sale date's rate, rounded once per line.

Amounts are kept at full precision while a rule adds them up; a payout line
is rounded once, half up, to cents when it is made (``to_cents``). Totals
add rounded lines, so a run's total is the sum of what is paid.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENTS = Decimal("0.01")
HUNDRED = Decimal(100)


def to_cents(amount: Decimal | int) -> Decimal:
    """Round once, half up, to cents. ``None`` is no amount at all and is refused."""
    return Decimal(amount).quantize(CENTS, rounding=ROUND_HALF_UP)


def fmt(amount: Decimal) -> str:
    """12400 -> '12 400.00' (for explanations: unambiguous in every language)."""
    return f"{to_cents(amount):,.2f}".replace(",", " ")


def plain(number: Decimal) -> str:
    """90.00 -> '90', 2.50 -> '2.5': no trailing zeros and never an exponent ('9E+1')."""
    return f"{number.normalize():f}"


def pct(rate: Decimal) -> str:
    return f"{plain(rate)}%"


class MissingRate(Exception):
    def __init__(self, currency, day, sale):
        super().__init__(f"No exchange rate for {currency} on or before {day} (sale {sale}).")

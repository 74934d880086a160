"""What the floors share: JIT off, the conversions kept per partner, and the money and percentage
formats of ``incentives.money``. (A sale's conversion is stored with it, ``rate`` and ``converted``:
the floors read those columns, as the product does.)"""

from __future__ import annotations


def _no_jit(cursor) -> None:
    """Without JIT compilation for this transaction: a floor is one large statement whose estimated
    cost sets off seconds of compiling (more than its execution) for a plan run once."""
    cursor.execute("SET LOCAL jit = off")


#: A partner's foreign sales as ``prm.currency.conversion.conversions`` keeps them, from rows of
#: ``(currency, amount, converted)`` per partner and currency.
_CONVERSIONS = """jsonb_agg(jsonb_build_object(
        'currency', currency, 'amount', amount::text, 'converted', round(converted, 2)::text,
        'rate', CASE WHEN amount <> 0 THEN round(converted / amount, 6)::text END) ORDER BY currency)
    FILTER (WHERE currency <> %(cur)s AND converted IS NOT NULL)"""


def _fmt(amount: str) -> str:
    """``incentives.money.fmt``: 12400 -> '12 400.00' (rounded half up to cents)."""
    return f"replace(to_char(round({amount}, 2), 'FM999,999,999,999,999,990.00'), ',', ' ')"


def _pct(rate: str) -> str:
    """``incentives.money.pct`` of a rate parameter: '4' -> '4%'."""
    return f"(trim_scale(({rate})::numeric)::text || '%%')"

"""Raw SQL floors: the same aggregates over the same rows, writing the same rows, in a statement or three.

Each floor is what a computation costs at the least on this database: the
product is measured against it in the same run (``bench/run.py``). A floor
reads what the product reads (sales converted at the rate of their date,
the inputs other apps register, the health signals, the duplicate-sale
audit), decides what the product decides, and writes the same columns of
the same number of rows; only the Python in between is left out. A floor
that meets a rule kind, KPI source, willingness input or health signal it
does not know stops with ``NotImplementedError`` instead of measuring less
than the product does: add its SQL here with it.

Beside each faithful floor, a **core floor** (``core``): one GROUP BY over the raw sales and the write
of the same rows, without conversion, rules, audits or copied facts; the bench reports both ratios.
"""

from .core import payouts_core_floor, scorecards_core_floor, tiers_core_floor
from .payouts import payouts_floor
from .scorecards import scorecards_floor
from .tiers import tiers_floor

__all__ = [
    "payouts_core_floor",
    "payouts_floor",
    "scorecards_core_floor",
    "scorecards_floor",
    "tiers_core_floor",
    "tiers_floor",
]

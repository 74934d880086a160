"""Incentive rules (versioned), payout runs and lines, points, MDF.

The exchange-rate table finance keeps through incentives' pages is ``prm.currency.models.ExchangeRate``.
"""

from .mdf import MdfClaim, MdfRequest
from .rules import IncentiveRule
from .runs import Payment, PayoutLine, PayoutRun, PointsEntry
from .warnings import PayoutRunWarning

__all__ = [
    "IncentiveRule",
    "MdfClaim",
    "MdfRequest",
    "Payment",
    "PayoutLine",
    "PayoutRun",
    "PayoutRunWarning",
    "PointsEntry",
]

"""Incentive rules (versioned), exchange rates, payout runs and lines, points, MDF."""

from .chunks import PayoutChunk
from .mdf import MdfClaim, MdfRequest
from .rates import ExchangeRate
from .rules import IncentiveRule
from .runs import Payment, PayoutLine, PayoutRun, PointsEntry
from .warnings import PayoutRunWarning

__all__ = [
    "ExchangeRate",
    "IncentiveRule",
    "MdfClaim",
    "MdfRequest",
    "Payment",
    "PayoutChunk",
    "PayoutLine",
    "PayoutRun",
    "PayoutRunWarning",
    "PointsEntry",
]

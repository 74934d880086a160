"""Incentive rules (versioned), exchange rates, payout runs and lines, points, MDF."""

from .mdf import MdfClaim, MdfRequest
from .rates import ExchangeRate
from .rules import IncentiveRule
from .runs import PayoutLine, PayoutRun, PointsEntry

__all__ = [
    "ExchangeRate",
    "IncentiveRule",
    "MdfClaim",
    "MdfRequest",
    "PayoutLine",
    "PayoutRun",
    "PointsEntry",
]

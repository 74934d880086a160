"""KPI definitions, targets, engagement inputs and computed scorecards."""

from .engagement import ProductRegistration, SatisfactionResult
from .kpis import Kpi, ManualValue, Target
from .scorecards import Scorecard, ScorecardLine

__all__ = [
    "Kpi",
    "ManualValue",
    "ProductRegistration",
    "SatisfactionResult",
    "Scorecard",
    "ScorecardLine",
    "Target",
]

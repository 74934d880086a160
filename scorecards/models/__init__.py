"""KPI definitions, targets, engagement inputs, computed scorecards and joint business plans."""

from .engagement import ProductRegistration, SatisfactionResult
from .kpis import Kpi, ManualValue, Target
from .plans import BusinessPlan, PlanActivity, PlanGoal
from .scorecards import Scorecard, ScorecardLine

__all__ = [
    "BusinessPlan",
    "PlanActivity",
    "PlanGoal",
    "Kpi",
    "ManualValue",
    "ProductRegistration",
    "SatisfactionResult",
    "Scorecard",
    "ScorecardLine",
    "Target",
]

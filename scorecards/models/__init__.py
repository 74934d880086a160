"""KPI definitions, targets, engagement inputs, computed scorecards and joint business plans."""

from .engagement import ProductRegistration, SatisfactionResult, ServiceReminder
from .kpis import Kpi, ManualValue, Target
from .plans import BusinessPlan, PlanActivity, PlanGoal
from .scorecards import Scorecard, ScorecardLine, ScorecardRevision

__all__ = [
    "BusinessPlan",
    "PlanActivity",
    "PlanGoal",
    "Kpi",
    "ManualValue",
    "ProductRegistration",
    "ServiceReminder",
    "SatisfactionResult",
    "Scorecard",
    "ScorecardLine",
    "ScorecardRevision",
    "Target",
]

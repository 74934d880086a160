from django.urls import path
from rest_framework.routers import SimpleRouter

from .views.effectiveness import EffectivenessView
from .views.mdf import MdfBudgetViewSet, MdfClaimViewSet, MdfRequestViewSet
from .views.payments import PaymentViewSet
from .views.points import PointsViewSet
from .views.rates import ExchangeRateViewSet
from .views.rules import IncentiveRuleViewSet
from .views.runs import PayoutLineViewSet, PayoutRunViewSet

router = SimpleRouter()
router.register("incentive-rules", IncentiveRuleViewSet, basename="incentive-rule")
router.register("payout-runs", PayoutRunViewSet, basename="payout-run")
router.register("payout-lines", PayoutLineViewSet, basename="payout-line")
router.register("exchange-rates", ExchangeRateViewSet, basename="exchange-rate")
router.register("points", PointsViewSet, basename="points")
router.register("payments", PaymentViewSet, basename="payment")
router.register("mdf-requests", MdfRequestViewSet, basename="mdf-request")
router.register("mdf-claims", MdfClaimViewSet, basename="mdf-claim")
router.register("mdf-budgets", MdfBudgetViewSet, basename="mdf-budget")
urlpatterns = [
    path("reports/incentive-effectiveness/", EffectivenessView.as_view(), name="incentive-effectiveness"),
    *router.urls,
]

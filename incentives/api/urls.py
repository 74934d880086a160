from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("incentive-rules", views.IncentiveRuleViewSet, basename="incentive-rule")
router.register("payout-runs", views.PayoutRunViewSet, basename="payout-run")
router.register("payout-lines", views.PayoutLineViewSet, basename="payout-line")
router.register("exchange-rates", views.ExchangeRateViewSet, basename="exchange-rate")
router.register("points", views.PointsViewSet, basename="points")
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("mdf-requests", views.MdfRequestViewSet, basename="mdf-request")
router.register("mdf-claims", views.MdfClaimViewSet, basename="mdf-claim")
router.register("mdf-budgets", views.MdfBudgetViewSet, basename="mdf-budget")
urlpatterns = router.urls

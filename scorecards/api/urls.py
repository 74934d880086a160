from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    BusinessPlanViewSet,
    KpiViewSet,
    MyProgrammeView,
    PartnerProgrammeView,
    PartnerScorecardView,
    ProductRegistrationViewSet,
    SatisfactionViewSet,
    ScorecardViewSet,
    TargetViewSet,
)

router = SimpleRouter()
router.register("kpis", KpiViewSet, basename="kpi")
router.register("targets", TargetViewSet, basename="target")
router.register("scorecards", ScorecardViewSet, basename="scorecard")
router.register("product-registrations", ProductRegistrationViewSet, basename="product-registration")
router.register("satisfaction", SatisfactionViewSet, basename="satisfaction")
router.register("business-plans", BusinessPlanViewSet, basename="business-plan")

urlpatterns = [
    path("partners/<int:pk>/scorecard/", PartnerScorecardView.as_view(), name="partner-scorecard"),
    path("partners/<int:pk>/programme/", PartnerProgrammeView.as_view(), name="partner-programme"),
    path("me/programme/", MyProgrammeView.as_view(), name="my-programme"),
    *router.urls,
]

from django.urls import path
from rest_framework.routers import SimpleRouter

from partners.api.views.deals import DealViewSet
from partners.api.views.partners import PartnerViewSet
from partners.api.views.playbook import PlaybookEntryView, PlaybookView
from partners.api.views.programme import ProgrammeView
from partners.api.views.reference import ReferenceItemViewSet
from partners.api.views.reports import ActivityReportView
from partners.api.views.sales import SaleViewSet
from partners.api.views.tiers import TierBenefitViewSet, TierViewSet
from partners.api.views.visit_plans import VisitPlanViewSet, VisitStepReportView

router = SimpleRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("sales", SaleViewSet, basename="sale")
router.register("deals", DealViewSet, basename="deal")
router.register("tiers", TierViewSet, basename="tier")
router.register("reference-data", ReferenceItemViewSet, basename="reference-item")
router.register("tier-benefits", TierBenefitViewSet, basename="tier-benefit")
router.register("visit-plans", VisitPlanViewSet, basename="visit-plan")
urlpatterns = [
    path("programme/", ProgrammeView.as_view(), name="programme"),
    path("reports/activity/", ActivityReportView.as_view(), name="activity-report"),
    path("reports/visit-steps/", VisitStepReportView.as_view(), name="visit-step-report"),
    path("playbook/", PlaybookView.as_view(), name="playbook"),
    path("playbook/<slug:type>/", PlaybookEntryView.as_view(), name="playbook-entry"),
    *router.urls,
]

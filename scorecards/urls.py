"""Portal pages of scorecards/ (mounted under /t/<tenant>/)."""

from django.urls import path

from .views import inputs, installed_base, plans, programme, scorecards

app_name = "scorecards"

urlpatterns = [
    path("scorecards/", scorecards.ScorecardListView.as_view(), name="list"),
    path("my-programme/", programme.MyProgrammePageView.as_view(), name="my-programme"),
    path(
        "partners/<int:pk>/programme/", programme.PartnerProgrammePageView.as_view(), name="partner-programme"
    ),
    path("scorecards/run/", scorecards.ComputeView.as_view(), name="compute"),
    path("scorecards/<int:pk>/", scorecards.ScorecardDetailView.as_view(), name="detail"),
    path("scorecards/<int:pk>/pdf/", scorecards.ScorecardPdfView.as_view(), name="pdf"),
    path("targets/", inputs.TargetsView.as_view(), name="targets"),
    path("targets/set/", inputs.TargetSetView.as_view(), name="target-set"),
    path("targets/import/", inputs.TargetsImportView.as_view(), name="targets-import"),
    path("targets/<int:pk>/acknowledge/", inputs.TargetAcknowledgeView.as_view(), name="target-acknowledge"),
    path("kpis/", inputs.KpiListView.as_view(), name="kpis"),
    path("kpis/new/", inputs.KpiEditView.as_view(), name="kpi-create"),
    path("kpis/vendor-side/", inputs.VendorSideKpisView.as_view(), name="kpis-vendor-side"),
    path("kpis/<int:pk>/", inputs.KpiEditView.as_view(), name="kpi-edit"),
    path("engagement/", inputs.EngagementView.as_view(), name="engagement"),
    path("installed-base/", installed_base.InstalledBaseView.as_view(), name="installed-base"),
    path("plans/", plans.PlanListView.as_view(), name="plans"),
    path("plans/new/", plans.PlanCreateView.as_view(), name="plan-create"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan"),
    path("plans/<int:pk>/terms/", plans.PlanTermsView.as_view(), name="plan-terms"),
    path("plans/<int:pk>/goals/", plans.PlanGoalAddView.as_view(), name="plan-goal"),
    path("plans/<int:pk>/goals/remove/", plans.PlanGoalRemoveView.as_view(), name="plan-goal-remove"),
    path("plans/<int:pk>/activities/", plans.PlanActivityAddView.as_view(), name="plan-activity"),
    path("plans/<int:pk>/propose/", plans.PlanProposeView.as_view(), name="plan-propose"),
    path("plans/<int:pk>/agree/", plans.PlanAgreeView.as_view(), name="plan-agree"),
    path(
        "plans/<int:pk>/request-changes/", plans.PlanRequestChangesView.as_view(), name="plan-request-changes"
    ),
    path("plan-activities/<int:pk>/done/", plans.PlanActivityDoneView.as_view(), name="plan-activity-done"),
    path("engagement/registrations/", inputs.ProductRegistrationAddView.as_view(), name="registration-add"),
    path("engagement/survey-results/", inputs.SatisfactionAddView.as_view(), name="satisfaction-add"),
]

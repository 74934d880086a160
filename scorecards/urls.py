"""Portal pages of scorecards/ (mounted under /t/<tenant>/)."""

from django.urls import path

from .views import inputs, scorecards

app_name = "scorecards"

urlpatterns = [
    path("scorecards/", scorecards.ScorecardListView.as_view(), name="list"),
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
    path("engagement/registrations/", inputs.ProductRegistrationAddView.as_view(), name="registration-add"),
    path("engagement/survey-results/", inputs.SatisfactionAddView.as_view(), name="satisfaction-add"),
]

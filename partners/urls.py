"""Portal pages of partners/ (mounted under /t/<tenant>/)."""

from django.urls import path

from partners.picker import PartnerPickerView
from partners.views import (
    approvals,
    benefits,
    partners,
    pipeline,
    records,
    reference,
    reports,
    visit_plans,
    visits,
)

app_name = "partners"

urlpatterns = [
    path("partners/", partners.PartnerListView.as_view(), name="list"),
    path("partners/picker/", PartnerPickerView.as_view(), name="picker"),
    path("partners/export.csv", partners.PartnerExportView.as_view(), name="export"),
    path("partners/new/", partners.PartnerCreateView.as_view(), name="create"),
    path("partners/import/", partners.PartnerImportView.as_view(), name="import"),
    path("partners/<int:pk>/", partners.PartnerDetailView.as_view(), name="detail"),
    path("partners/<int:pk>/edit/", partners.PartnerEditView.as_view(), name="edit"),
    path("partners/<int:pk>/transition/", partners.PartnerTransitionView.as_view(), name="transition"),
    path("partners/<int:pk>/approve/", partners.PartnerApproveView.as_view(), name="approve"),
    path("partners/<int:pk>/relationship/", partners.PartnerRelationshipView.as_view(), name="relationship"),
    path(
        "partners/<int:pk>/request-approval/",
        partners.PartnerRequestApprovalView.as_view(),
        name="request-approval",
    ),
    path(
        "partners/<int:pk>/tier-override/", partners.PartnerTierOverrideView.as_view(), name="tier-override"
    ),
    path("partners/<int:pk>/contacts/", partners.PartnerContactAddView.as_view(), name="contact-add"),
    path("partners/<int:pk>/visits/new/", visits.VisitCreateView.as_view(), name="visit-create"),
    path(
        "partners/<int:pk>/visits/prepare/",
        visit_plans.VisitPlanCreateView.as_view(),
        name="visit-plan-create",
    ),
    path("visits/plans/<int:pk>/", visit_plans.VisitPlanView.as_view(), name="visit-plan"),
    path("visits/day/", visit_plans.VisitDayView.as_view(), name="visit-day"),
    path("visits/steps/", visit_plans.VisitStepsView.as_view(), name="visit-steps"),
    path(
        "partners/<int:pk>/assessments/selection/",
        visits.AssessmentCreateView.as_view(),
        {"kind": "selection"},
        name="assessment-selection",
    ),
    path(
        "partners/<int:pk>/assessments/strategic/",
        visits.AssessmentCreateView.as_view(),
        {"kind": "strategic"},
        name="assessment-strategic",
    ),
    path(
        "partners/<int:pk>/assessments/tier/",
        visits.AssessmentCreateView.as_view(),
        {"kind": "tier"},
        name="assessment-tier",
    ),
    path("pipeline/", pipeline.BoardView.as_view(), name="board"),
    path("approvals/", approvals.ApprovalQueueView.as_view(), name="approvals"),
    path("tiers/", pipeline.TiersView.as_view(), name="tiers"),
    path("tiers/recompute/", pipeline.TierRecomputeView.as_view(), name="tiers-recompute"),
    path("tiers/benefits/", benefits.TierBenefitsView.as_view(), name="benefits"),
    path("tiers/benefits/<int:pk>/delete/", benefits.TierBenefitDeleteView.as_view(), name="benefit-delete"),
    path("sales/", records.SalesView.as_view(), name="sales"),
    path("deals/", records.DealsView.as_view(), name="deals"),
    path("deals/<int:pk>/decide/", records.DealDecideView.as_view(), name="deal-decide"),
    path("deals/<int:pk>/extend/", records.DealExtendView.as_view(), name="deal-extend"),
    path("deals/<int:pk>/close/", records.DealCloseView.as_view(), name="deal-close"),
    path("deals/<int:pk>/withdraw/", records.DealWithdrawView.as_view(), name="deal-withdraw"),
    path("objections/", visits.ObjectionsView.as_view(), name="objections"),
    path("programme/", pipeline.ProgrammeView.as_view(), name="programme"),
    path("reports/activity/", reports.ActivityReportView.as_view(), name="activity"),
    path("reports/activity/export/", reports.ActivityExportView.as_view(), name="activity-export"),
    path("reference/", reference.ReferenceListView.as_view(), name="reference"),
    path("reference/add/", reference.ReferenceAddView.as_view(), name="reference-add"),
    path("reference/import/", reference.ReferenceImportView.as_view(), name="reference-import"),
]

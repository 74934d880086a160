"""Portal pages of onboarding/ (mounted under /t/<tenant>/)."""

from django.urls import path

from .views import applications, manage, partner_home

app_name = "onboarding"

urlpatterns = [
    path("onboarding/", manage.OnboardingListView.as_view(), name="list"),
    path("onboarding/<int:pk>/", manage.PartnerOnboardingView.as_view(), name="partner"),
    path("onboarding/<int:pk>/agreement/", manage.AgreementRecordView.as_view(), name="agreement"),
    path("onboarding/<int:pk>/completions/", manage.CompletionRecordView.as_view(), name="completion"),
    path("onboarding/<int:pk>/invite/", manage.PartnerUserInviteView.as_view(), name="invite"),
    path(
        "onboarding/invitations/<int:pk>/resend/",
        manage.PartnerInvitationResendView.as_view(),
        name="invitation-resend",
    ),
    path(
        "onboarding/invitations/<int:pk>/revoke/",
        manage.PartnerInvitationRevokeView.as_view(),
        name="invitation-revoke",
    ),
    path("onboarding/<int:pk>/checklist/", manage.ChecklistStartView.as_view(), name="checklist-start"),
    path("onboarding/steps/<int:pk>/", manage.ChecklistStepView.as_view(), name="step"),
    path("onboarding/<int:pk>/certificate/", manage.CertificateView.as_view(), name="certificate"),
    path("agreements/<int:pk>/document/", manage.AgreementDocumentView.as_view(), name="agreement-document"),
    path("training/", partner_home.TrainingView.as_view(), name="training"),
    path("training/completions/", partner_home.TrainingCompletionView.as_view(), name="training-completion"),
    path("training/invite/", partner_home.TrainingInviteView.as_view(), name="training-invite"),
    path("announcements/", manage.AnnouncementsView.as_view(), name="announcements"),
    path("applications/", applications.ApplicationListView.as_view(), name="applications"),
    path(
        "applications/<int:pk>/review/",
        applications.ApplicationReviewView.as_view(),
        name="application-review",
    ),
]

"""Portal pages of onboarding/ (mounted under /t/<tenant>/)."""

from django.urls import path

from .views import manage, partner_home

app_name = "onboarding"

urlpatterns = [
    path("onboarding/", manage.OnboardingListView.as_view(), name="list"),
    path("onboarding/<int:pk>/", manage.PartnerOnboardingView.as_view(), name="partner"),
    path("onboarding/<int:pk>/certificate/", manage.CertificateView.as_view(), name="certificate"),
    path("agreements/<int:pk>/document/", manage.AgreementDocumentView.as_view(), name="agreement-document"),
    path("training/", partner_home.TrainingView.as_view(), name="training"),
    path("announcements/", manage.AnnouncementsView.as_view(), name="announcements"),
]

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import applications, views

router = SimpleRouter()
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("agreement-templates", views.AgreementTemplateViewSet, basename="agreement-template")
router.register("courses", views.CourseViewSet, basename="course")
router.register("completions", views.CompletionViewSet, basename="completion")
router.register("partner-users", views.PartnerUserViewSet, basename="partner-user")
router.register("checklist-templates", views.ChecklistTemplateViewSet, basename="checklist-template")
router.register("checklist-steps", views.ChecklistStepViewSet, basename="checklist-step")
router.register("announcements", views.AnnouncementViewSet, basename="announcement")
router.register(
    "inbound-applications", applications.InboundApplicationViewSet, basename="inbound-application"
)

urlpatterns = [
    path("applications/", views.ApplicationView.as_view(), name="applications"),
    path("partners/<int:pk>/certificate/", views.CertificateView.as_view(), name="partner-certificate"),
    *router.urls,
]

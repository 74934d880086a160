from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("customer-surveys", views.CustomerSurveyViewSet, basename="customer-survey")
router.register("partner-surveys", views.PartnerSurveyViewSet, basename="partner-survey")
router.register("my-surveys", views.MySurveyViewSet, basename="my-survey")

urlpatterns = router.urls

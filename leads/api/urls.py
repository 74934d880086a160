from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("leads", views.LeadViewSet, basename="lead")
router.register("lead-rules", views.LeadRuleViewSet, basename="lead-rule")

urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("requests", views.PartnerRequestViewSet, basename="partner-request")

urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("contests", views.ContestViewSet, basename="contest")

urlpatterns = router.urls

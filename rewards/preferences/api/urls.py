from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("reward-preferences", views.RewardPreferenceViewSet, basename="reward-preference")

urlpatterns = router.urls

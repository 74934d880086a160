from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("rewards", views.RewardViewSet, basename="reward")
router.register("redemptions", views.RedemptionViewSet, basename="redemption")

urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from .views import DealViewSet, PartnerViewSet, SaleViewSet, TierViewSet

router = SimpleRouter()
router.register("partners", PartnerViewSet, basename="partner")
router.register("sales", SaleViewSet, basename="sale")
router.register("deals", DealViewSet, basename="deal")
router.register("tiers", TierViewSet, basename="tier")
urlpatterns = router.urls

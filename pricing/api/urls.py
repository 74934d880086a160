from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("prices", views.ListPriceViewSet, basename="list-price")

urlpatterns = router.urls

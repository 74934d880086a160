from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("awards", views.AwardViewSet, basename="award")
router.register("award-categories", views.AwardCategoryViewSet, basename="award-category")

urlpatterns = router.urls

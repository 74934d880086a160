"""Tenant-level API: me/ and members/ (mounted under /api/v1/tenants/{tenant}/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import MemberViewSet, MeView

router = SimpleRouter()
router.register("members", MemberViewSet, basename="member")

urlpatterns = [path("me/", MeView.as_view(), name="me"), *router.urls]

"""Tenant-level API: me/, members/ and invitations/ (mounted under /api/v1/tenants/{tenant}/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import InvitationViewSet, MemberViewSet, MeView

router = SimpleRouter()
router.register("members", MemberViewSet, basename="member")
router.register("invitations", InvitationViewSet, basename="invitation")

urlpatterns = [path("me/", MeView.as_view(), name="me"), *router.urls]

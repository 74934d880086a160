"""The tenant's two-factor page, under /t/<tenant>/."""

from django.urls import path

from .policy_views import PolicyView

app_name = "twofactor_policy"

urlpatterns = [path("two-factor/", PolicyView.as_view(), name="page")]

"""Portal pages of rewards.recognition (mounted under /t/<tenant>/)."""

from django.urls import path

from . import views

app_name = "recognition"

urlpatterns = [
    path("rewards/awards/", views.AwardsView.as_view(), name="awards"),
    path("rewards/awards/grant/", views.AwardGrantView.as_view(), name="grant"),
    path("rewards/awards/<int:pk>/revoke/", views.AwardRevokeView.as_view(), name="revoke"),
    path("rewards/awards/categories/", views.CategoryAddView.as_view(), name="category-add"),
    path(
        "rewards/awards/categories/<int:pk>/toggle/",
        views.CategoryToggleView.as_view(),
        name="category-toggle",
    ),
]

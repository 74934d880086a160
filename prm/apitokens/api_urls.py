"""The caller's own tokens in the API, under auth/tokens/."""

from django.urls import path

from .api import TokenDetailView, TokenListView

urlpatterns = [
    path("", TokenListView.as_view(), name="token-list"),
    path("<int:pk>/", TokenDetailView.as_view(), name="token-detail"),
]

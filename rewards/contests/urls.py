"""Portal pages of contests (mounted under /t/<tenant>/)."""

from django.urls import path

from .views import pages

app_name = "contests"

urlpatterns = [
    path("rewards/contests/", pages.ContestListView.as_view(), name="list"),
    path("rewards/contests/new/", pages.ContestFormView.as_view(), name="create"),
    path("rewards/contests/<int:pk>/", pages.ContestDetailView.as_view(), name="detail"),
    path("rewards/contests/<int:pk>/edit/", pages.ContestFormView.as_view(), name="edit"),
    path("rewards/contests/<int:pk>/close/", pages.ContestCloseView.as_view(), name="close"),
]

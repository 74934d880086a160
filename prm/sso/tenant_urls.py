"""The tenant admin's single sign-on pages, mounted under t/<tenant>/ (namespace ``sso_admin``)."""

from django.urls import path

from . import pages

app_name = "sso_admin"

urlpatterns = [
    path("sso/", pages.ProviderListView.as_view(), name="list"),
    path("sso/<int:pk>/", pages.ProviderDetailView.as_view(), name="detail"),
    path("sso/<int:pk>/toggle/", pages.ProviderActionView.as_view(), {"action": "toggle"}, name="toggle"),
    path("sso/<int:pk>/test/", pages.ProviderActionView.as_view(), {"action": "test"}, name="test"),
]

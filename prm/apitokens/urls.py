"""The profile page's token actions, under accounts/api-tokens/."""

from django.urls import path

from . import views

app_name = "apitokens"

urlpatterns = [
    path("", views.create, name="create"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]

"""Portal pages of rewards.preferences (mounted under /t/<tenant>/)."""

from django.urls import path

from . import views

app_name = "preferences"

urlpatterns = [
    path("rewards/preferences/", views.PreferencesView.as_view(), name="preferences"),
]

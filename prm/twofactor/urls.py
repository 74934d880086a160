"""The user's own two-factor pages, under /accounts/two-factor/."""

from django.urls import path

from . import views

app_name = "twofactor"

urlpatterns = [
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("setup/", views.enrolment_begin, name="setup"),
    path("confirm/", views.enrolment_confirm, name="confirm"),
    path("recovery-codes/", views.recovery_codes_regenerate, name="recovery-codes"),
    path("disable/", views.disable, name="disable"),
]

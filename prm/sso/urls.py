"""Single sign-on's public URLs, mounted at /sso/ (the tenant admin's page lives under t/<tenant>/sso/)."""

from django.urls import include, path

from . import oidc, views

app_name = "sso"

urlpatterns = [
    path("find/", views.find, name="find"),
    path("<int:provider_id>/start/", views.start, name="start"),
    path("oidc/<int:provider_id>/start/", oidc.StartView.as_view(), name="oidc-start"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc-callback"),
    path("", include("prm.sso.saml.urls")),
]

"""SAML routes, included by prm/sso/urls.py under /sso/ (names in the ``sso`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("saml/<int:provider_id>/start/", views.start, name="saml-start"),
    path("saml/<int:provider_id>/acs/", views.acs, name="saml-acs"),
    path("saml/<int:provider_id>/metadata/", views.metadata, name="saml-metadata"),
]

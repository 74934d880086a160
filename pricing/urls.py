"""Portal pages of price discipline (mounted under /t/<tenant>/)."""

from django.urls import path

from . import views

app_name = "pricing"

urlpatterns = [
    path("prices/", views.PricesView.as_view(), name="prices"),
    path("prices/import/", views.PricesImportView.as_view(), name="prices-import"),
]

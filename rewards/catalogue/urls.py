"""Portal pages of the catalogue (mounted under /t/<tenant>/)."""

from django.urls import path

from .views import partner, staff

app_name = "catalogue"

urlpatterns = [
    path("rewards/", partner.RewardsView.as_view(), name="rewards"),
    path("rewards/catalogue/", staff.CatalogueView.as_view(), name="catalogue"),
    path("rewards/catalogue/<int:pk>/", staff.ItemView.as_view(), name="item"),
    path("rewards/catalogue/<int:pk>/picture/", partner.PictureView.as_view(), name="picture"),
    path("rewards/redemptions/", staff.RedemptionsView.as_view(), name="redemptions"),
    path("rewards/redemptions/export/", staff.ExportView.as_view(), name="export"),
    path("rewards/redemptions/<int:pk>/", staff.RedemptionView.as_view(), name="redemption"),
    path("rewards/redemptions/<int:pk>/approve/", staff.ApproveView.as_view(), name="approve"),
    path("rewards/redemptions/<int:pk>/refuse/", staff.RefuseView.as_view(), name="refuse"),
    path("rewards/redemptions/<int:pk>/fulfil/", staff.FulfilView.as_view(), name="fulfil"),
    path("rewards/redemptions/<int:pk>/cancel/", staff.CancelView.as_view(), name="cancel"),
]

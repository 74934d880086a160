from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("personal-data/", views.PersonalDataView.as_view(), name="personal-data"),
    path("personal-data/export/", views.PersonalDataExportView.as_view(), name="personal-data-export"),
    path("personal-data/erase/", views.PersonalDataEraseView.as_view(), name="personal-data-erase"),
]

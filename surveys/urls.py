"""Portal pages of surveys (mounted under /t/<tenant>/)."""

from django.urls import path

from .views import mine, pages

app_name = "surveys"

urlpatterns = [
    path("surveys/customers/", pages.CustomerSurveyListView.as_view(), name="customer-list"),
    path("surveys/partners/", pages.PartnerSurveyListView.as_view(), name="partner-list"),
    path("surveys/partners/new/", pages.PartnerSurveyCreateView.as_view(), name="partner-create"),
    path("surveys/partners/<int:pk>/", pages.PartnerSurveyDetailView.as_view(), name="partner-detail"),
    path("surveys/partners/<int:pk>/send/", pages.PartnerSurveySendView.as_view(), name="partner-send"),
    path("surveys/mine/", mine.MySurveysView.as_view(), name="mine"),
    path("surveys/mine/<int:pk>/", mine.MySurveyAnswerView.as_view(), name="mine-answer"),
]

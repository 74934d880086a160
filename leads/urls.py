"""Portal pages of leads/ (mounted under /t/<tenant>/)."""

from django.urls import path

from .views import pages

app_name = "leads"

urlpatterns = [
    path("leads/", pages.LeadsView.as_view(), name="list"),
    path("leads/import/", pages.LeadImportView.as_view(), name="import"),
    path("leads/rules/", pages.LeadRulesView.as_view(), name="rules"),
    path("leads/rules/<int:pk>/delete/", pages.LeadRuleDeleteView.as_view(), name="rule-delete"),
    path("leads/<int:pk>/", pages.LeadDetailView.as_view(), name="detail"),
    path("leads/<int:pk>/accept/", pages.LeadAcceptView.as_view(), name="accept"),
    path("leads/<int:pk>/decline/", pages.LeadDeclineView.as_view(), name="decline"),
    path("leads/<int:pk>/convert/", pages.LeadConvertView.as_view(), name="convert"),
    path("leads/<int:pk>/route/", pages.LeadRouteView.as_view(), name="route"),
]

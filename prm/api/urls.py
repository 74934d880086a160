"""The REST API, version 1. Everything of a tenant lives under tenants/{tenant}/."""

from django.urls import include, path

from prm.tenancy.api.views import TenantListView

from .auth import obtain_auth_token

app_name = "api"

#: Each app's API, mounted under tenants/<tenant>/ (lowest layer first).
TENANT_API_MODULES = [
    "prm.tenancy.api.urls",
    "prm.jobs.api.urls",
    "prm.audit.api.urls",
    "prm.notifications.api",
    "prm.notifications.sent_api",
    "prm.webhooks.api",
    "prm.sso.api",
    "prm.twofactor.api",
    "partners.api.urls",
    "leads.api.urls",
    "scorecards.api.urls",
    "incentives.api.urls",
    "onboarding.api.urls",
    "rewards.catalogue.api.urls",
    "rewards.contests.api.urls",
    "rewards.preferences.api.urls",
    "rewards.recognition.api.urls",
    "surveys.api.urls",
    "conversations.api.urls",
    "pricing.api.urls",
    "prm.privacy.api",
]

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="auth-token"),
    path("auth/tokens/", include("prm.apitokens.api_urls")),
    path("tenants/", TenantListView.as_view(), name="tenant-list"),
    *[path("tenants/<slug:tenant>/", include(module)) for module in TENANT_API_MODULES],
]

"""Root URLs: auth pages, the portal (/t/<tenant>/...), the API (/api/v1/...) and its docs."""

from django.contrib import admin
from django.db.transaction import non_atomic_requests
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from leads.views.public import FindPartnerView
from onboarding.views.public import ApplyView
from prm.portal import views as portal_views
from prm.tenancy.acceptance import InvitationView
from surveys.views.public import SurveyAnswerView

#: Each app's portal pages, mounted under t/<tenant>/.
TENANT_PAGE_MODULES = [
    "prm.portal.urls",
    "prm.tenancy.urls",
    "prm.jobs.urls",
    "prm.audit.urls",
    "prm.notifications.urls",
    "prm.webhooks.urls",
    "prm.sso.tenant_urls",
    "prm.twofactor.policy_urls",
    "partners.urls",
    "leads.urls",
    "scorecards.urls",
    "incentives.urls",
    "onboarding.urls",
    "rewards.catalogue.urls",
    "rewards.contests.urls",
    "rewards.preferences.urls",
    "rewards.recognition.urls",
    "surveys.urls",
    "conversations.urls",
    "pricing.urls",
    "prm.privacy.urls",
]

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("accounts/login/", portal_views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/profile/", portal_views.profile, name="profile"),
    path("accounts/two-factor/", include("prm.twofactor.urls")),
    path("accounts/api-tokens/", include("prm.apitokens.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("csp-report/", portal_views.csp_report, name="csp-report"),
    path("apply/<slug:slug>/", ApplyView.as_view(), name="apply"),
    path("find-a-partner/<slug:slug>/", FindPartnerView.as_view(), name="find-partner"),
    path("invitations/<str:token>/", InvitationView.as_view(), name="invitation"),
    path("survey/<str:token>/", SurveyAnswerView.as_view(), name="survey-answer"),
    path("sso/", include("prm.sso.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("prm.api.urls")),
    # (the document and its viewer touch no database: no read transaction for them)
    path("api/schema/", non_atomic_requests(SpectacularAPIView.as_view()), name="schema"),
    path(
        "api/docs/",
        non_atomic_requests(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    *[path("t/<slug:tenant>/", include(module)) for module in TENANT_PAGE_MODULES],
]
# No route serves stored files, in any mode: they are tenant data, fetched
# through views that check the row they belong to (prm/files.py).

#: the error pages in the portal's frame; under /api/ the same errors answer JSON like the rest of the API
handler403 = "prm.portal.errors.forbidden"
handler404 = "prm.portal.errors.not_found"
handler500 = "prm.portal.errors.server_error"

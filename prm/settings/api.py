"""The REST API and its OpenAPI document."""

from .base import env

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so that an anonymous caller gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "prm.apitokens.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "prm.api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only: the browsable API is replaced by /api/docs/ (Swagger UI).
    "DEFAULT_RENDERER_CLASSES": ["prm.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "prm.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_THROTTLE_RATES": {"anon": env("ANON_THROTTLE_RATE", default="30/hour")},
    # ?format= is the contract's export switch (csv|xlsx), not DRF's renderer override
    "URL_FORMAT_OVERRIDE": None,
}
# API tokens (prm.apitokens): how many days a new token lasts unless its owner says, and at most.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)

SPECTACULAR_SETTINGS = {
    "TITLE": "PRM API",
    "DESCRIPTION": (
        "The partner relationship management API, version 1. Everything of a "
        "tenant lives under /api/v1/tenants/{tenant}/; another tenant's or "
        "partner's object answers 404."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "prm.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "partners.choices.Stage",
        "TierEnum": "partners.choices.Tier",
        "PartnerSourceEnum": "partners.choices.Source",
        "KpiSourceEnum": "scorecards.choices.KpiSource",
        "RuleKindEnum": "incentives.choices.RuleKind",
        "ReferralLevelEnum": "partners.choices.ReferralLevel",
        "PlanStatusEnum": "scorecards.choices.PlanStatus",
        "KpiSideEnum": "scorecards.choices.Side",
        "ReferenceKindEnum": "partners.choices.ReferenceKind",
        "BenefitKindEnum": "partners.choices.BenefitKind",
        "HealthEnum": "partners.choices.Health",
        "LeadStatusEnum": "leads.choices.LeadStatus",
        "OfferOutcomeEnum": "leads.choices.OfferOutcome",
        "LeadSourceEnum": "leads.choices.LeadSource",
        "OperatingModelEnum": "partners.choices.OperatingModel",
        "RewardKindEnum": "rewards.preferences.choices.RewardKind",
        "RequestStatusEnum": "conversations.choices.Status",
        "VisitStepEnum": "partners.api.serializers.visit_script.STEP_CHOICES",
    },
}

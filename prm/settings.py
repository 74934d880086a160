"""Settings, read from the environment (one module for every deployment).

PostgreSQL is the only database. Without ``DATABASE_URL`` the settings use the
embedded PostgreSQL that ``make demo`` and ``make test`` start (``prm/devdb.py``),
and Celery tasks run eagerly in-process. Production sets ``DATABASE_URL``,
``REDIS_URL`` (broker and result store), ``SECRET_KEY``, ``ALLOWED_HOSTS`` and
leaves ``DEBUG`` off; ``manage.py check --deploy`` is then clean.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from prm import devdb

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env(
    "SECRET_KEY",
    default="django-insecure-demo-only-key-change-me-in-production",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "prm.tenancy.admin_site.OperatorsAdminConfig",  # django.contrib.admin, across tenants
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    # the shared core
    "prm.tenancy",
    "prm.currency",
    "prm.jobs",
    "prm.audit",
    "prm.notifications",
    "prm.webhooks",
    "prm.portal",
    # the domain, lowest first: onboarding -> incentives -> scorecards -> partners
    "partners",
    "leads",
    "scorecards",
    "incentives",
    "onboarding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "prm.nul.NullCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "prm.tenancy.middleware.TenantMiddleware",
    "prm.portal.middleware.QueueUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "prm.urls"
WSGI_APPLICATION = "prm.wsgi.application"
ASGI_APPLICATION = "prm.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prm.portal.context.portal",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
# Three roles in production (docs/deployment.md), each its own URL:
# DATABASE_URL            the web role: no superuser, no BYPASSRLS; every
#                         process connects as it (web, workers, beat);
# DATABASE_OPERATIONS_URL the operations role (BYPASSRLS), used only inside
#                         tenancy.context.cross_tenant() (operators' admin);
# DATABASE_OWNER_URL      the owner of the tables; `migrate` runs as it.
# With DATABASE_URL alone (a developer's superuser) everything uses it.
# Without DATABASE_URL: the three URLs of the embedded PostgreSQL that
# `make demo` and `make test` start (prm/devdb.py, data in .pgdata/).
_URLS = (
    {
        name: env(name, default="")
        for name in ("DATABASE_URL", "DATABASE_OWNER_URL", "DATABASE_OPERATIONS_URL")
    }
    if env("DATABASE_URL", default="")
    else devdb.urls()
)
if not _URLS.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. PRM runs on PostgreSQL only: set "
        "DATABASE_URL=postgres://user:password@host:5432/prm (docs/deployment.md), or start the "
        "embedded PostgreSQL with `make demo`, `make test` or `python -m prm.devdb start`."
    )
DATABASES = {}
for _alias, _variable in (
    ("default", "DATABASE_URL"),
    ("operations", "DATABASE_OPERATIONS_URL"),
    ("owner", "DATABASE_OWNER_URL"),
):
    if not _URLS.get(_variable):
        continue
    _scheme, _separator, _rest = _URLS[_variable].partition("://")
    try:
        _database = DATABASES[_alias] = env.db_url_config(_URLS[_variable])
    except (ImproperlyConfigured, KeyError, ValueError):
        _database = {}
    if _database.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"{_variable} is not a PostgreSQL URL ({_scheme + _separator if _separator else 'no scheme'}). "
            "PRM runs on PostgreSQL only: "
            f"set {_variable}=postgres://user:password@host:5432/prm (docs/deployment.md)."
        )
    # Django's backend plus the tenant scope on every statement (prm/tenancy/dbscope.py)
    _database["ENGINE"] = "prm.tenancy.postgresql"
    _database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    _database.setdefault("TEST", {})
    if env("TEST_DATABASE_NAME", default=""):
        _database["TEST"]["NAME"] = env("TEST_DATABASE_NAME")
DATABASE_ROUTERS = ["prm.tenancy.routers.TenancyRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock out brute force on username + IP: five failures, thirty minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
PRM_PROXY_COUNT = env.int("PROXY_COUNT", default=0)  # trusted reverse proxies in front (prm/net.py)
AXES_IPWARE_PROXY_COUNT = PRM_PROXY_COUNT

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "en"
FORMAT_MODULE_PATH = ["prm.formats"]  # English times without a closing period
LANGUAGES = [
    ("en", _("English")),
    ("pt-br", _("Portuguese (Brazil)")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("it", _("Italian")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# Files are tenant data (prm/files.py): a private folder that no route serves,
# or, with S3_BUCKET, an S3-compatible bucket shared by web and workers on
# any number of hosts. Downloads go through views that check the owning row.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/no-public-media/"  # never routed: files are fetched through authorized views
PRM_MAX_UPLOAD_BYTES = env.int("PRM_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
#: The largest CSV an import reads (sales, targets, rates); larger files are refused whole.
PRM_MAX_IMPORT_BYTES = env.int("PRM_MAX_IMPORT_BYTES", default=20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
#: How long generated files (PDF batches) are kept; a beat job removes older ones.
PRM_GENERATED_FILES_DAYS = env.int("PRM_GENERATED_FILES_DAYS", default=7)
# Partners per chunk of a payout run: the memory bound of one computation, and the unit of work
# that several workers share (incentives/tasks.py).
PRM_PAYOUT_CHUNK = env.int("PRM_PAYOUT_CHUNK", default=5000)
# Partners per chunk of a scorecard compute: the same, for scorecards/tasks.py.
PRM_SCORECARD_CHUNK = env.int("PRM_SCORECARD_CHUNK", default=5000)
# Partners per chunk of a tier recompute's measuring (partners/tasks.py); the join places them all.
# Larger than the others: the join's share is large, so small ranges cost more than they share out
# (docs/performance.md).
PRM_TIER_CHUNK = env.int("PRM_TIER_CHUNK", default=50000)
# PostgreSQL work_mem while tiers, scorecards and payouts aggregate (prm/sql.py aggregate_memory).
PRM_COMPUTE_WORK_MEM = env("PRM_COMPUTE_WORK_MEM", default="64MB")
_DEFAULT_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"file_permissions_mode": 0o640, "directory_permissions_mode": 0o750},  # in MEDIA_ROOT
}
if env("S3_BUCKET", default=""):
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "region_name": env("S3_REGION", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- cache (rate limits; Redis when configured) ----------------------
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("REDIS_URL", default=""):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
        # fail fast when Redis is down: callers degrade (rate limits allow, with a log line)
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }

# --- email ----------------------------------------------------------------
# Every message is queued (prm/notifications/mail.py) and delivered by a Celery
# task through PRM_EMAIL_DELIVERY_BACKEND, with retries: SMTP from EMAIL_URL,
# or EMAIL_BACKEND, or the console (the demo).
EMAIL_BACKEND = "prm.notifications.mail.QueuedEmailBackend"
PRM_EMAIL_DELIVERY_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    PRM_EMAIL_DELIVERY_BACKEND = _email.pop("EMAIL_BACKEND", PRM_EMAIL_DELIVERY_BACKEND)
    vars().update(_email)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="prm@localhost")
# A message that could not be queued (Redis unreachable) is kept and queued by the beat task
# notifications.send_unsent once Redis is back; after this many hours it is dropped, logged.
PRM_EMAIL_UNSENT_KEEP_HOURS = env.int("PRM_EMAIL_UNSENT_KEEP_HOURS", default=24)

# --- security (all on unless DEBUG) --------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every answer: scripts and styles from our own
# origin only (htmx and Swagger UI are served locally), no inline script, the
# tenant's brand colour as the one nonce'd <style>, never framed. Violations
# are reported to /csp-report/ and logged. Report-only until CSP_ENFORCE=true.
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": ["/csp-report/"],
    }
}
CSP_ENFORCE = env.bool("CSP_ENFORCE", default=False)
if CSP_ENFORCE:
    CONTENT_SECURITY_POLICY = _CSP
else:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so that an anonymous caller gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
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
    },
}

# --- Celery ---------------------------------------------------------------
# Without REDIS_URL tasks run eagerly in the web process: the demo default.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 1500
CELERY_TASK_TIME_LIMIT = 1800
# Jobs beat while they run; a job silent for PRM_JOB_LOST_AFTER_SECONDS lost its
# worker and is sent again by the beat task jobs.rescue_lost, up to
# PRM_JOB_MAX_ATTEMPTS attempts (prm/jobs/services.py).
PRM_JOB_HEARTBEAT_SECONDS = env.int("PRM_JOB_HEARTBEAT_SECONDS", default=15)
PRM_JOB_LOST_AFTER_SECONDS = env.int("PRM_JOB_LOST_AFTER_SECONDS", default=120)
PRM_JOB_MAX_ATTEMPTS = env.int("PRM_JOB_MAX_ATTEMPTS", default=3)
# A job whose task never reached the queue (the web process stopped between its commit and the
# send) is sent by jobs.rescue_lost once it is this old, and given up (failed) after the second.
PRM_JOB_UNSENT_AFTER_SECONDS = env.int("PRM_JOB_UNSENT_AFTER_SECONDS", default=60)
PRM_JOB_UNSENT_GIVE_UP_SECONDS = env.int("PRM_JOB_UNSENT_GIVE_UP_SECONDS", default=900)
# Visibility timeout twice the longest task (the 30-minute hard limit): a message
# of a worker that died is redelivered after it; jobs.rescue_lost acts sooner.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * 1800,
    "unacked_restore_interval": 60,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# Sending a task fails fast when the broker is down (prm.jobs.services.job_start
# then marks the job failed and the caller answers 503), instead of hanging, also
# in a process that has never reached Redis (e.g. Redis restarting during a deploy).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# Results live in Job rows, never in Celery's result store: sending a task does not
# subscribe to it (that subscription retried 20 times, 20 s, before failing).
CELERY_TASK_IGNORE_RESULT = True
# Anything that still uses the result store gives up as fast as a send does.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": CELERY_TASK_PUBLISH_RETRY_POLICY}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="default")
CELERY_PDF_QUEUE = env("CELERY_PDF_QUEUE", default="pdf")
CELERY_TASK_ROUTES = {"*.render_*": {"queue": CELERY_PDF_QUEUE}}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600 * 24
CELERY_BEAT_SCHEDULE: dict = {
    "partners-nightly": {"task": "partners.nightly", "schedule": crontab(hour=2, minute=15)},
    "partners-time-boxes": {"task": "partners.time_box_reminders", "schedule": crontab(hour=7, minute=0)},
    "partners-health-digest": {
        "task": "partners.health_digest",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    "scorecards-installed-base": {
        "task": "scorecards.installed_base",
        "schedule": crontab(hour=6, minute=45),
    },
    "leads-expire-offers": {"task": "leads.expire_offers", "schedule": 900.0},
    "onboarding-certifications": {
        "task": "onboarding.certifications",
        "schedule": crontab(hour=6, minute=30),
    },
    "jobs-purge-files": {"task": "jobs.purge_files", "schedule": crontab(hour=4, minute=30)},
    "jobs-rescue-lost": {"task": "jobs.rescue_lost", "schedule": 60.0},
    "notifications-send-unsent": {"task": "notifications.send_unsent", "schedule": 60.0},
    "webhooks-retry-due": {"task": "webhooks.retry_due", "schedule": 60.0},
    "scorecards-close-quarter": {
        "task": "scorecards.close_period",
        "schedule": crontab(hour=3, minute=0, day_of_month="1-3", month_of_year="1,4,7,10"),
    },
}

# --- the product ---------------------------------------------------------
# Webhooks go to public addresses only; on-premises receivers (and the tests) need this on.
WEBHOOK_ALLOW_PRIVATE_NETWORKS = env.bool("WEBHOOK_ALLOW_PRIVATE_NETWORKS", default=False)
# Where links in e-mails point (invitations, password resets, notifications).
PRM_BASE_URL = env("PRM_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# How the core finds a partner user's partner without importing partners/.
PRM_PARTNER_DIRECTORY = "partners.directory.PartnerDirectory"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Each app's demo data, in dependency order; each takes the tenant (seed_demo).
PRM_DEMO_SEEDERS = [
    "partners.demo.seed",
    "partners.demo.benefits",
    "onboarding.demo.seed",
    "leads.demo.seed",
    "scorecards.demo.seed",
    "incentives.demo.seed",
    "partners.demo.recompute",
]

# What every new tenant gets (called by tenancy.services.tenant_create with the tenant).
PRM_TENANT_SETUP = [
    "scorecards.defaults.ensure_default_kpis",
    "onboarding.defaults.ensure_onboarding_defaults",
]

# --- operations (prm/ops): health, metrics, logs, error tracking ------------------------------
# One block, kept together; docs/deployment.md ("Operating") says what each setting does.
INSTALLED_APPS += ["prm.ops"]
# first: answers /healthz, /readyz and /metrics before the host check and the HTTPS redirect,
# and gives every other request its X-Request-ID
MIDDLEWARE.insert(0, "prm.ops.middleware.OpsMiddleware")
# Logs: one JSON object a line in production (LOG_FORMAT=json), a plain line with DEBUG (text);
# every line has the request id, tenant, user and job; no personal data (prm/ops/logs.py)
LOG_FORMAT = env("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING_CONFIG = "prm.ops.logs.configure"
# Errors: sent to Sentry when SENTRY_DSN is set, off without it; nothing personal (prm/ops/sentry.py)
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="production")
SENTRY_RELEASE = env("SENTRY_RELEASE", default="")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
# Metrics (prm/ops/metrics.py): GET /metrics with "Authorization: Bearer <PRM_METRICS_TOKEN>" (404
# without the setting); a worker serves its own on PRM_METRICS_PORT (off at 0). Several processes:
# PROMETHEUS_MULTIPROC_DIR, an empty folder per host or container (docs/deployment.md)
PRM_METRICS_TOKEN = env("PRM_METRICS_TOKEN", default="")
PRM_METRICS_PORT = env.int("PRM_METRICS_PORT", default=0)
PRM_METRICS_ADDR = env("PRM_METRICS_ADDR", default="0.0.0.0")

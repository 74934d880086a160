"""Django's core: the environment, debug and hosts, the apps, the middleware, the templates."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "prm.twofactor",
    "prm.apitokens",
    "prm.sso",
    "prm.portal",
    # the domain, lowest first: onboarding -> incentives -> scorecards -> partners
    "partners",
    "leads",
    "scorecards",
    "incentives",
    "onboarding",
    # rewards above incentives (rewards/__init__.py)
    "rewards.preferences",
    "rewards.recognition",
    "rewards.catalogue",
    "rewards.contests",
    # surveys above scorecards and partners (surveys/__init__.py)
    "surveys",
    # partners' requests to the vendor, above partners and scorecards (conversations/__init__.py)
    "conversations",
    # price discipline, above incentives, scorecards and partners (pricing/__init__.py)
    "pricing",
    # reads every app above to export and erase a person's data: installed last
    "prm.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "prm.tenancy.middleware.ReadTransactionMiddleware",  # a read in one transaction (dbscope.py)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "prm.nul.NullCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "prm.tenancy.middleware.TenantMiddleware",
    "prm.twofactor.middleware.TwoFactorMiddleware",  # after the tenant's: knows the member's role
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
            # numbers, money, percentages and dates formatted one way everywhere (prm.formats.display)
            "builtins": ["prm.portal.templatetags.formats"],
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

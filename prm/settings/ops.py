"""Operations: logging, and the prm/ops block (health, metrics, logs, error tracking)."""

from .base import DEBUG, INSTALLED_APPS, MIDDLEWARE, env

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

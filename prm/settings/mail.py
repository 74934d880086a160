"""E-mail: queued, then delivered by a task."""

from .base import DEBUG, env

# --- email ----------------------------------------------------------------
# Every message is queued (prm/notifications/mail.py) and delivered by a Celery
# task through PRM_EMAIL_DELIVERY_BACKEND, with retries: SMTP from EMAIL_URL,
# or EMAIL_BACKEND, or else the mail store with DEBUG (the demo: each tenant's
# messages on its Sent mail page, nothing printed) and the console without it.
EMAIL_BACKEND = "prm.notifications.mail.QueuedEmailBackend"
PRM_EMAIL_DELIVERY_BACKEND = env(
    "EMAIL_BACKEND",
    default="prm.notifications.store.StoredEmailBackend"
    if DEBUG
    else "django.core.mail.backends.console.EmailBackend",
)
if env("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    PRM_EMAIL_DELIVERY_BACKEND = _email.pop("EMAIL_BACKEND", PRM_EMAIL_DELIVERY_BACKEND)
    vars().update(_email)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="prm@localhost")
# A message that could not be queued (Redis unreachable) is kept and queued by the beat task
# notifications.send_unsent once Redis is back; after this many hours it is dropped, logged.
PRM_EMAIL_UNSENT_KEEP_HOURS = env.int("PRM_EMAIL_UNSENT_KEEP_HOURS", default=24)
# Keep a copy of every tenant's delivered message on its Sent mail page as well (SMTP and the
# store both); the store backend itself always keeps them.
PRM_EMAIL_STORE = env.bool("PRM_EMAIL_STORE", default=False)

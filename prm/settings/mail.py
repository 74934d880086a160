"""E-mail: queued, then delivered by a task."""

from .base import env

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

"""Celery, the jobs that follow its tasks, the beat schedule, and the size of a computation's chunks."""

from celery.schedules import crontab

from .base import env

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
    "privacy-retention": {"task": "privacy.retention", "schedule": crontab(hour=3, minute=40)},
    "jobs-rescue-lost": {"task": "jobs.rescue_lost", "schedule": 60.0},
    "notifications-send-unsent": {"task": "notifications.send_unsent", "schedule": 60.0},
    "webhooks-retry-due": {"task": "webhooks.retry_due", "schedule": 60.0},
    "apitokens-expire-due": {"task": "apitokens.expire_due", "schedule": crontab(minute=5)},
    "catalogue-expire-points": {"task": "catalogue.expire_points", "schedule": crontab(hour=5, minute=5)},
    "contests-close-due": {"task": "contests.close_due", "schedule": crontab(hour=5, minute=15)},
    "surveys-customer": {"task": "surveys.send_customer_surveys", "schedule": crontab(hour=9, minute=30)},
    "scorecards-close-quarter": {
        "task": "scorecards.close_period",
        "schedule": crontab(hour=3, minute=0, day_of_month="1-3", month_of_year="1,4,7,10"),
    },
}

# Partners per chunk of a payout run: the memory bound of one computation, and the unit of work
# that several workers share (incentives/tasks.py).
PRM_PAYOUT_CHUNK = env.int("PRM_PAYOUT_CHUNK", default=5000)
# Partners per chunk of a scorecard compute: the same, for scorecards/tasks.py.
PRM_SCORECARD_CHUNK = env.int("PRM_SCORECARD_CHUNK", default=5000)
# Partners per chunk of a tier recompute's measuring (partners/tasks.py); the join places them all.
# Larger than the others: the join's share is large, so small ranges cost more than they share out
# (docs/performance.md).
PRM_TIER_CHUNK = env.int("PRM_TIER_CHUNK", default=50000)
# Live figures (partners/live.py): a partner's refresh waits this long after the first change, so
# the changes that follow ride on it; an import touching more partners than this leaves them to
# the nightly recompute.
PRM_LIVE_DEBOUNCE_SECONDS = env.int("PRM_LIVE_DEBOUNCE_SECONDS", default=5)
PRM_LIVE_MOST_PARTNERS = env.int("PRM_LIVE_MOST_PARTNERS", default=200)
# Sales a new exchange rate re-converts in the request that adds it; more go to a job
# (partners/selling/conversion.py).
PRM_RECONVERT_INLINE_SALES = env.int("PRM_RECONVERT_INLINE_SALES", default=5000)
# PostgreSQL work_mem while tiers, scorecards and payouts aggregate (prm/sql.py aggregate_memory).
PRM_COMPUTE_WORK_MEM = env("PRM_COMPUTE_WORK_MEM", default="64MB")

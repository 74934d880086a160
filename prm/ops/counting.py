"""What the metrics count without a line in the code they count: signals of Django, Celery and
django-axes (logins, e-mails, webhook deliveries, rescued jobs), and the worker's metrics port.

Jobs and imports are counted at their own single points instead (``prm.jobs.services.job_mark_*``,
``prm.imports``): they send no signal.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from celery import signals as celery_signals
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save

from . import exposition, metrics

EMAIL_TASK = "notifications.deliver_email"
RESCUE_TASK = "jobs.rescue_lost"


def _task_name(sender) -> str:
    return getattr(sender, "name", "") or ""


def on_task_success(sender=None, result=None, **kwargs):
    name = _task_name(sender)
    if name == EMAIL_TASK:
        metrics.email("sent", result if isinstance(result, int) else 1)
    elif name == RESCUE_TASK and isinstance(result, dict):
        totals = result.get("totals", {})
        metrics.jobs_rescued(totals.get("retried", 0), totals.get("failed", 0))


def on_task_retry(sender=None, **kwargs):
    if _task_name(sender) == EMAIL_TASK:
        metrics.email("retried")


def on_task_failure(sender=None, **kwargs):
    if _task_name(sender) == EMAIL_TASK:
        metrics.email("failed")


def on_email_kept(sender, instance=None, created=False, **kwargs):
    if created:
        metrics.email("kept")


def on_delivery_saved(sender, instance=None, created=False, **kwargs):
    """A delivery saved after an attempt: succeeded, failed (given up), or pending for a retry."""
    if created or not instance.attempts:
        return
    status = str(instance.status)
    metrics.webhook_delivered("retrying" if status == "pending" else status)


def connect() -> None:
    celery_signals.task_success.connect(on_task_success, dispatch_uid="prm-ops-success")
    celery_signals.task_retry.connect(on_task_retry, dispatch_uid="prm-ops-retry")
    celery_signals.task_failure.connect(on_task_failure, dispatch_uid="prm-ops-failure")
    celery_signals.worker_init.connect(exposition.start_worker_exporter, dispatch_uid="prm-ops-exporter")
    post_save.connect(on_email_kept, sender="notifications.UnsentEmail", dispatch_uid="prm-ops-email-kept")
    post_save.connect(on_delivery_saved, sender="webhooks.Delivery", dispatch_uid="prm-ops-webhook")
    user_logged_in.connect(lambda **kw: metrics.login("success"), weak=False, dispatch_uid="prm-ops-login")
    user_login_failed.connect(lambda **kw: metrics.login("failure"), weak=False, dispatch_uid="prm-ops-fail")
    user_locked_out.connect(lambda **kw: metrics.login("lockout"), weak=False, dispatch_uid="prm-ops-lock")

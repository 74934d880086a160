"""A Job row records every long task: what, for whom, how far, and how it ended."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.scoping import TenantOwned


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Job(TenantOwned):
    kind = models.CharField(_("kind"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.FloatField(_("progress"), default=0.0)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    #: The Celery task that does the job, so a job whose worker died can be sent again.
    task_name = models.CharField(_("task"), max_length=100, blank=True)
    #: Written every few seconds while a worker runs the job (``tasks.Heartbeat``).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    #: When the job's task was last handed to the job queue; empty while it never was (the web
    #: process stopped, or the queue could not be reached): ``jobs_rescue_lost`` sends it then.
    sent_at = models.DateTimeField(_("sent to the queue at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["tenant", "-created_at", "-id"], name="job_list_keyset")]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def kind_label(self) -> str:
        from .kinds import label

        return label(self.kind)

    @property
    def percent(self) -> int:
        return round(self.progress * 100)

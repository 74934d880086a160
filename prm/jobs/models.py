"""A Job row records every long task: what, for whom, how far, and how it ended."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.scoping import TenantOwned

from .kinds import label


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
        return label(self.kind)

    @property
    def percent(self) -> int:
        return round(self.progress * 100)


class ComputationChunk(TenantOwned):
    """One range's share of a computation running on several workers (``prm.jobs.computations``).

    A computation cut into ranges of partners (a tier recompute, a period's scorecards, a payout
    run) measures each range on any worker and keeps what it measured here, as JSON; the range
    that completes the count joins every range's payload in one transaction and removes them. Rows
    of a computation that died are removed by any join in the tenant after a day. The table is
    unlogged: its rows live for the minutes of one computation, and a crash loses the computation
    that wrote them anyway.
    """

    #: the computation's name (``Computation.name``: "partners.tiers", "scorecards.compute", ...)
    computation = models.CharField(_("computation"), max_length=64)
    #: the plan the range belongs to (``Plan.token``): a job sent again plans anew, with another
    token = models.UUIDField(_("plan"), db_index=True)
    index = models.PositiveIntegerField(_("chunk"))
    #: what ``Computation.measure`` gave for the range (Decimals and dates kept as text)
    payload = models.JSONField(_("payload"), default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("computation chunk")
        verbose_name_plural = _("computation chunks")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "token", "index"], name="computation_chunk_once")
        ]

    def __str__(self):
        return f"{self.computation} {self.token} #{self.index}"

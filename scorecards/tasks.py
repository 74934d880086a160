"""Background work of scorecards/: computing a period, rendering PDFs in chunks, the closing period.

A compute is the computation ``services.compute.SCORECARDS``: over more partners than
``PRM_SCORECARD_CHUNK`` it goes out as one task per range of partners (any worker takes one,
``prm.jobs.tasks.run_computation``); the range that completes the count joins them and replaces the
period in one transaction.

A PDF batch is a group of chunk tasks on the ``pdf`` queue (more workers
finish sooner, on any host: the files go to the shared storage). Each chunk
counts itself done under a row lock on the job; the chunk that completes the
count zips the folder and finishes the job. The ZIP is downloaded through
``jobs/{id}/file/`` and removed after ``PRM_GENERATED_FILES_DAYS``.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile

from celery import group, shared_task
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from prm.files import storage, tenant_name
from prm.jobs.models import Job
from prm.jobs.services import job_mark_succeeded
from prm.jobs.tasks import CONTINUES, JobTask, TenantTask, run_computation
from prm.periods import period_containing
from prm.tenancy.fanout import for_each_tenant
from prm.tenancy.models import Tenant

from .models import Scorecard
from .pdf import render_scorecard
from .services.compute import SCORECARDS, scorecards_compute
from .services.installed_base import installed_base_daily

CHUNK = 10

logger = logging.getLogger(__name__)


@shared_task(base=JobTask, name="scorecards.compute")
def compute(job, period, **params):
    """Compute the period (``SCORECARDS``): in place, or over ranges of partners on several workers."""
    return run_computation(job, SCORECARDS, period=period)


def batch_folder(job) -> str:
    """Where a batch's PDFs gather in storage (random per job, set when it starts)."""
    return job.params["folder"]


@shared_task(base=JobTask, name="scorecards.start_pdf_batch")
def start_pdf_batch(job, period, **params):
    """Send the period's scorecards out in chunks; the chunks finish the job."""
    ids = list(Scorecard.objects.current().filter(period=period).order_by("pk").values_list("pk", flat=True))
    if not ids:
        return {"files": 0, "label": _("No scorecards for this period.")}
    folder = job.params.get("folder") or tenant_name(job.tenant_id, f"jobs/{job.pk}")
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            params={**job.params, "total": len(ids), "done": 0, "folder": folder}
        )
    chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    group(
        render_chunk.s(tenant_id=job.tenant_id, job_id=job.pk, scorecard_ids=c) for c in chunks
    ).apply_async()
    return CONTINUES


@shared_task(base=TenantTask, name="scorecards.render_chunk")
def render_chunk(*, tenant_id, job_id, scorecard_ids):
    """Render some scorecards' PDFs into the batch's storage folder.

    Storage is shared by every host (prm/files.py), so the chunks may run on
    any worker. Re-running a chunk replaces its files, never duplicates them.
    """
    folder = batch_folder(Job.objects.get(pk=job_id))
    cards = (
        Scorecard.objects.filter(pk__in=scorecard_ids)
        .select_related("partner", "tenant")
        .prefetch_related("lines")
    )
    for card in cards:
        name = f"{folder}/{slugify(card.partner.name) or card.partner_id}-{card.partner_id}-{card.period}.pdf"
        if storage().exists(name):
            storage().delete(name)
        storage().save(name, ContentFile(render_scorecard(card)))
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        done = job.params.get("done", 0) + len(scorecard_ids)
        job.params = {**job.params, "done": done}
        job.progress, job.heartbeat_at = 0.95 * done / job.params["total"], timezone.now()  # alive: not lost
        job.save(update_fields=["params", "progress", "heartbeat_at"])
        if done >= job.params["total"]:
            _zip(job, folder)


def _zip(job, folder: str) -> None:
    """Gather the batch's PDFs into one ZIP in storage (spooled to disk past 32 MB) and finish the job."""
    _dirs, files = storage().listdir(folder)
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as bundle:
            for filename in sorted(files):
                with storage().open(f"{folder}/{filename}", "rb") as pdf:
                    bundle.writestr(filename, pdf.read())
        spool.seek(0)
        stored = storage().save(f"{folder}.zip", File(spool))
    for filename in files:
        storage().delete(f"{folder}/{filename}")
    tenant = Tenant.objects.get(pk=job.tenant_id)
    period = job.params.get("period", job.pk)
    job_mark_succeeded(
        job,
        {
            "files": job.params["total"],
            "file": stored,
            "filename": f"scorecards-{period}.zip",
            "url": reverse("jobs:file", kwargs={"tenant": tenant.slug, "pk": job.pk}),
            "label": _("Download the ZIP"),
        },
    )


@shared_task(name="scorecards.close_period")
def close_period():
    """Beat: compute every tenant's scorecards for the quarter that just closed."""
    closed = period_containing(timezone.localdate(), quarter=True).previous()
    return for_each_tenant(
        "scorecards.close_period", lambda tenant: scorecards_compute(tenant=tenant, period=closed)
    )


@shared_task(name="scorecards.installed_base")
def installed_base():
    """Beat, daily: move passed service dates on, remind before services and warranty ends, and link
    reminders to the sales they turned into."""
    return for_each_tenant("scorecards.installed_base", lambda tenant: installed_base_daily(tenant=tenant))

"""Background work of the core."""

from celery import shared_task
from django.utils.translation import gettext as _

from prm.jobs.services import job_set_progress
from prm.jobs.tasks import JobTask

from .rls import tenant_owned_models


@shared_task(base=JobTask, name="tenancy.data_summary")
def data_summary(job, **params):
    """Count the tenant's records in every tenant-owned table (an admin's health check)."""
    models = tenant_owned_models()
    rows = []
    for done, model in enumerate(models, start=1):
        rows.append([str(model._meta.verbose_name_plural).capitalize(), model.objects.count()])
        job_set_progress(job, done / len(models))
    return {"rows": rows, "label": _("Data summary")}

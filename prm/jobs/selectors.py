"""Reads of jobs."""

from .models import Job


def jobs_of(*, tenant):
    """The tenant's jobs, newest first, with who asked."""
    return Job.objects.for_tenant(tenant).select_related("requested_by")

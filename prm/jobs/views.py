"""Job pages: the list, and one job's live progress (htmx polls the partial)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from prm.files import file_response
from prm.portal.views import TenantPageMixin

from .models import Job
from .selectors import jobs_of


def follow_job(request, job):
    """Where a page goes once it started a job: the job's progress page, saying it started."""
    messages.info(request, _("Started; this page follows the job."))
    return redirect("jobs:detail", tenant=request.tenant_access.tenant.slug, pk=job.pk)


class JobListView(TenantPageMixin, ListView):
    template_name = "jobs/list.html"
    paginate_by = 50
    context_object_name = "jobs"

    def get_queryset(self):
        return self.scoped(jobs_of(tenant=self.tenant))


class JobDetailView(TenantPageMixin, DetailView):
    model = Job
    template_name = "jobs/detail.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        return get_object_or_404(self.scoped(jobs_of(tenant=self.tenant)), pk=self.kwargs["pk"])

    def get_template_names(self):
        if self.request.headers.get("HX-Request") or self.request.GET.get("partial"):
            return ["jobs/_progress.html"]
        return [self.template_name]


class JobFileView(TenantPageMixin, View):
    """The file a finished job made (a ZIP of PDFs), for whoever may see the job."""

    model = Job
    #: A job without a file (yet, or any more) answers 404 too (the isolation walker knows).
    empty_is_404 = True

    def get(self, request, *args, **kwargs):
        job = get_object_or_404(self.scoped(jobs_of(tenant=self.tenant)), pk=kwargs["pk"])
        return job_file_response(job)


def job_file_response(job):
    """Stream the job's file as an attachment, or 404 (shared by the page and the API)."""
    result = job.result if isinstance(job.result, dict) else {}
    return file_response(result.get("file") or "", result.get("filename") or f"job-{job.pk}")

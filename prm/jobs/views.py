"""Job pages: the list, and one job's live progress (htmx polls the partial)."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from prm.portal.views import TenantPageMixin

from .models import Job
from .selectors import jobs_of


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

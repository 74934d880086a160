from rest_framework import mixins

from prm.api.views import TenantViewSet
from prm.jobs.models import Job
from prm.jobs.selectors import jobs_of
from prm.tenancy.choices import STAFF_ROLES

from .serializers import JobSerializer


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Background jobs: status queued|running|succeeded|failed, progress 0-1, result or error."""

    model = Job
    serializer_class = JobSerializer
    read_roles = STAFF_ROLES
    filterset_fields = ["kind", "status"]

    def base_queryset(self):
        return jobs_of(tenant=self.tenant)

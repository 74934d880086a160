from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action

from prm.api.pagination import KeysetPagination
from prm.api.views import TenantViewSet
from prm.jobs.models import Job
from prm.jobs.selectors import jobs_of

from ..views import job_file_response
from .serializers import JobSerializer


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Background jobs: status queued|running|succeeded|failed, progress 0-1, result or error."""

    model = Job
    serializer_class = JobSerializer
    filterset_fields = ["kind", "status"]
    pagination_class = KeysetPagination
    cursor_ordering = ("-created_at", "-id")  # the index (tenant, created_at desc, id desc)

    def base_queryset(self):
        return jobs_of(tenant=self.tenant)

    @extend_schema(
        responses={
            (200, media): OpenApiTypes.BINARY
            for media in (
                "application/zip",
                "application/pdf",
                "text/csv",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/octet-stream",
            )
        }
    )
    @action(detail=True, methods=["get"])
    def file(self, request, *args, **kwargs):
        """The file a finished job made (e.g. the ZIP of a PDF batch); 404 while there is none."""
        return job_file_response(self.get_object())

    file.empty_is_404 = True  # a job that made no file (yet) answers 404 (tests/test_isolation.py)

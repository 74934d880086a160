"""The team's activity report."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from partners.api.serializers.reports import ActivityReportSerializer
from partners.reports import activity_report
from partners.views.reports import report_filters
from prm.api.views import TenantViewMixin
from prm.periods import parse_period
from prm.tenancy.capabilities import Capability as C


class ActivityReportView(TenantViewMixin, generics.GenericAPIView):
    """The team's own numbers for ``?period=`` (default this quarter), ``owner`` (a member's id) and
    ``region``: per manager (``owners``) and per region (``regions``) the new candidates visited and
    per week against ``cadence_per_week``, visits and the share that met their goal, per stage the
    partners that moved on or dropped out with the median days in it against its time box, partners
    per tier and overdue partners."""

    serializer_class = ActivityReportSerializer
    read_capability = C.READ_VENDOR_SIDE
    filter_backends = []
    model = None

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="2026-07 or 2026-Q3 (default: this quarter)"),
            OpenApiParameter("owner", int, description="A member's user id"),
            OpenApiParameter("region", str),
        ]
    )
    def get(self, request, *args, **kwargs):

        if request.query_params.get("period"):
            try:
                parse_period(request.query_params["period"])
            except Exception as exc:
                raise ValidationError({"period": ["Use 2026-07 or 2026-Q3."]}) from exc
        return Response(
            activity_report(tenant=self.tenant, **report_filters(self.tenant, request.query_params))
        )

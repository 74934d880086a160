"""The effectiveness report: does each incentive rule and MDF programme pay off."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from incentives.api.effectiveness_serializers import EffectivenessSerializer
from incentives.views.effectiveness import report_of
from prm.api.views import TenantViewMixin
from prm.tenancy.capabilities import Capability as C


class EffectivenessView(TenantViewMixin, generics.GenericAPIView):
    """Per incentive rule (MDF programmes included) for ``?period=``: cost paid and accrued, partners
    reached, their revenue and growth against ``?baseline=`` periods before and against comparable
    partners not reached (same tier and region), the difference, incremental revenue and return per
    currency unit; MDF programmes also their claimed activities and the deals and leads registered in
    the weeks after. ``method`` says it in words."""

    serializer_class = EffectivenessSerializer
    read_capability = C.READ_EFFECTIVENESS
    filter_backends = []
    pagination_class = None
    model = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", str, description="2026-07 or 2026-Q3 (default: the newest approved run's period)"
            ),
            OpenApiParameter("baseline", int, enum=[1, 2, 3, 4], description="Periods before (default 1)"),
        ]
    )
    def get(self, request, *args, **kwargs):
        form, result = report_of(self.tenant, request.query_params)
        if result is None:
            raise ValidationError(form.errors)
        return Response(self.get_serializer(result).data)

"""Visit plans (preparing a visit, ticking its checklist, the day's round by area) and the report of
how scripted visits go."""

from datetime import date as Date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from partners.api.serializers.visit_script import (
    VisitAreaSerializer,
    VisitPlanSerializer,
    VisitPlanUpdateSerializer,
    VisitStepReportSerializer,
)
from partners.models import VisitPlan
from partners.views.reports import report_filters
from partners.visiting.plans import day_by_area, plan_create, plan_update
from partners.visiting.reports import visit_step_report
from prm.api.views import TenantViewMixin, TenantViewSet
from prm.periods import parse_period
from prm.tenancy.capabilities import Capability as C


def plan_to_carry_out(tenant, data: dict):
    """The visit plan named by a visit's ``plan_id`` (popped from ``data``): 400 if the tenant has none."""
    plan_id = data.pop("plan_id", None)
    if plan_id is None:
        return None
    plan = VisitPlan.objects.for_tenant(tenant).filter(pk=plan_id).first()
    if plan is None:
        raise ValidationError({"plan": ["No such visit plan."]})
    return plan


def _date(value, name="date"):
    try:
        return Date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({name: ["Use a date like 2026-07-01."]}) from exc


def _service(call):
    try:
        return call()
    except DjangoValidationError as exc:
        raise ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        ) from exc


PLAN_FILTERS = [
    OpenApiParameter("date", str, description="A day, e.g. 2026-07-01"),
    OpenApiParameter("partner", int),
    OpenApiParameter("area", str),
    OpenApiParameter("mine", bool, description="Only the caller's own plans"),
    OpenApiParameter("open", bool, description="true: not carried out yet; false: carried out"),
]


class VisitPlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """Prepared visits: POST ``{partner, date, goal, area}`` makes one with the programme's checklist
    (``visit_checklist``); PATCH ``{"done": [0, 2]}`` ticks the checklist's items at those positions
    (every other item not done), and may change ``date``, ``goal``, ``area``. ``day/?date=`` lists a
    day's plans grouped by area. A visit carries a plan out when it is logged with ``plan``
    (``partners/{id}/visits/``). Staff read them; field staff prepare them."""

    model = VisitPlan
    serializer_class = VisitPlanSerializer
    write_capability = C.WORK_PIPELINE
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        rows = VisitPlan.objects.for_tenant(self.tenant).select_related("partner", "planned_by")
        params = self.request.query_params
        if params.get("date"):
            rows = rows.filter(date=_date(params["date"]))
        if (params.get("partner") or "").isdigit():
            rows = rows.filter(partner_id=int(params["partner"]))
        if params.get("area"):
            rows = rows.filter(area__iexact=params["area"])
        if params.get("mine") in ("true", "1"):
            rows = rows.filter(planned_by=self.request.user)
        if params.get("open") in ("true", "1", "false", "0"):
            rows = rows.filter(visit__isnull=params["open"] in ("true", "1"))
        return rows.order_by("date", "area", "id")

    def get_serializer_class(self):
        return VisitPlanUpdateSerializer if self.action == "partial_update" else VisitPlanSerializer

    @extend_schema(parameters=PLAN_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        body = VisitPlanSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        partner = data["partner"]
        plan = _service(
            lambda: plan_create(
                partner=partner,
                actor=request.user,
                date=data["date"],
                goal=data["goal"],
                area=data.get("area", ""),
            )
        )
        return Response(VisitPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        data = serializer.validated_data
        serializer.instance = _service(
            lambda: plan_update(plan=serializer.instance, actor=self.request.user, **data)
        )

    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="The day (default: today)")],
        responses=VisitAreaSerializer(many=True),
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def day(self, request, *args, **kwargs):
        """The day's plans grouped by area, areas in order."""
        params = request.query_params
        day = _date(params["date"]) if params.get("date") else timezone.localdate()
        plans = list(self.get_queryset().filter(date=day))
        return Response(
            [
                {"area": group["area"], "plans": VisitPlanSerializer(group["plans"], many=True).data}
                for group in day_by_area(plans)
            ]
        )


class VisitStepReportView(TenantViewMixin, generics.GenericAPIView):
    """How scripted visits go for ``?period=`` (default this quarter), ``owner`` (who logged them) and
    ``region``: per step of the script the visits that reached it, those whose goal was missed
    there (``stopped``) and the objections raised at it by type; the four concerns' averages."""

    serializer_class = VisitStepReportSerializer
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
            visit_step_report(tenant=self.tenant, **report_filters(self.tenant, request.query_params))
        )

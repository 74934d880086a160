"""The scorecards API: KPIs, targets, scorecards (and their PDFs), engagement inputs."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from partners.api.serializers.imports import ImportFileSerializer, ImportResultSerializer
from partners.models import Partner
from prm.api.imports import csv_import
from prm.api.pagination import KeysetPagination
from prm.api.views import TenantViewMixin, TenantViewSet
from prm.jobs.api.serializers import JobSerializer
from prm.pdf import reader_language
from prm.periods import parse_period
from prm.portal.responses import PDF, attachment
from prm.tenancy.capabilities import Capability as C
from scorecards import selectors
from scorecards.defaults import ensure_vendor_side_kpis
from scorecards.filters import ScorecardFilter, TargetFilter
from scorecards.models import (
    BusinessPlan,
    Kpi,
    PlanActivity,
    ProductRegistration,
    SatisfactionResult,
    Scorecard,
    Target,
)
from scorecards.pdf import render_scorecard
from scorecards.programme_page import partner_programme, programme_json
from scorecards.services import inputs, plans
from scorecards.services.installed_base import registrations_import
from scorecards.tasks import compute, start_pdf_batch

from . import serializers as s


class KpiViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """KPI definitions: code, name, source, direction, weight, dimension (admins edit)."""

    model = Kpi
    serializer_class = s.KpiSerializer
    write_capability = C.EDIT_PROGRAMME
    http_method_names = ["get", "post", "patch", "head", "options"]
    pagination_class = None

    def base_queryset(self):
        return selectors.kpi_list(tenant=self.tenant)

    @extend_schema(request=None, responses=s.KpiSerializer(many=True))
    @action(detail=False, methods=["post"], url_path="vendor-side")
    def vendor_side(self, request, *args, **kwargs):
        """Add the KPIs of the vendor's side of activation the tenant lacks (enablement_visits,
        answered_in_time); answers every KPI."""
        ensure_vendor_side_kpis(self.tenant)
        return Response(s.KpiSerializer(selectors.kpi_list(tenant=self.tenant), many=True).data)

    def perform_create(self, serializer):
        serializer.instance = inputs.kpi_save(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = inputs.kpi_save(
            tenant=self.tenant, actor=self.request.user, kpi=serializer.instance, **serializer.validated_data
        )


class TargetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet):
    """Targets agreed per partner, period and KPI; ``import/`` takes a CSV; partners acknowledge theirs."""

    model = Target
    serializer_class = s.TargetSerializer
    filterset_class = TargetFilter
    read_capability = C.READ
    write_capability = C.SET_TARGETS
    partner_scope = "partner"
    action_capabilities = {"acknowledge": C.ACKNOWLEDGE_TARGET, "import_csv": C.SET_TARGETS}

    def base_queryset(self):
        return selectors.target_list(tenant=self.tenant)

    def perform_create(self, serializer):
        serializer.instance = inputs.target_set(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=None, responses=s.TargetSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, *args, **kwargs):
        """The partner acknowledges a target agreed with it."""
        target = inputs.target_acknowledge(target=self.get_object(), actor=request.user)
        return Response(self.get_serializer(target).data)

    @extend_schema(
        request={"multipart/form-data": ImportFileSerializer},
        responses={
            200: ImportResultSerializer,
            400: OpenApiResponse(description='{"errors": [{"row", "field", "message"}]}'),
        },
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request, *args, **kwargs):
        """Import targets from a CSV (partner, period, kpi, value): all or nothing, errors by row."""
        return csv_import(
            request, lambda upload: inputs.targets_import(tenant=self.tenant, actor=request.user, file=upload)
        )


class ScorecardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Computed scorecards; a partner user sees only its own. A scorecard keeps its id when its period
    is computed again: ``revision`` counts the changes of its figures, ``history/`` shows the earlier
    ones; the list leaves out those a recompute withdrew (``withdrawn_at``), read alone they still answer."""

    model = Scorecard
    serializer_class = s.ScorecardSerializer
    filterset_class = ScorecardFilter
    read_capability = C.READ
    write_capability = C.COMPUTE_SCORECARDS
    partner_scope = "partner"
    ordering_fields = ["score", "rank", "period"]
    action_capabilities = {"compute": C.COMPUTE_SCORECARDS, "pdf_batch": C.COMPUTE_SCORECARDS}
    pagination_class = KeysetPagination
    cursor_ordering = ("-period", "rank", "id")  # the index (tenant, period desc, rank, id)

    def base_queryset(self):
        if self.detail:  # a link to one scorecard keeps resolving, withdrawn or not
            return selectors.scorecard_detail(tenant=self.tenant)
        return selectors.scorecard_list(tenant=self.tenant)

    def get_serializer_class(self):
        return s.ScorecardDetailSerializer if self.action == "retrieve" else s.ScorecardSerializer

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The scorecard as PDF")})
    @action(detail=True, methods=["get"])
    def pdf(self, request, *args, **kwargs):
        """The scorecard as a PDF in the tenant's branding and the reader's language."""
        card = self.get_object()
        return attachment(
            render_scorecard(card, reader_language(request)),
            PDF,
            f"scorecard-{card.partner_id}-{card.period}.pdf",
        )

    @extend_schema(responses=s.ScorecardRevisionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        """The scorecard's earlier revisions, the latest first: what it showed, lines and all, before
        each recompute that changed its figures (empty while it has never changed)."""
        revisions = selectors.scorecard_history(scorecard=self.get_object())
        return Response(
            s.ScorecardRevisionSerializer(revisions, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(request=s.PeriodSerializer, responses={202: JobSerializer})
    @action(detail=False, methods=["post"])
    def compute(self, request, *args, **kwargs):
        """Compute every partner's scorecard for the period (202 with the job)."""
        body = s.PeriodSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.job_accepted(kind="compute_scorecards", task=compute, params=dict(body.validated_data))

    @extend_schema(request=s.PeriodSerializer, responses={202: JobSerializer})
    @action(detail=False, methods=["post"], url_path="pdf-batch")
    def pdf_batch(self, request, *args, **kwargs):
        """Render every scorecard of the period as PDF, in chunks; the finished job links a ZIP."""
        body = s.PeriodSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.job_accepted(
            kind="scorecard_pdfs", task=start_pdf_batch, params=dict(body.validated_data)
        )


class PartnerScorecardView(TenantViewMixin, generics.GenericAPIView):
    """A partner's scorecard for ``?period=`` (default: the latest computed)."""

    model = Partner
    serializer_class = s.ScorecardDetailSerializer
    read_capability = C.READ
    partner_scope = "id"
    filter_backends = []
    #: A partner without a scorecard for the period answers 404 too (the isolation walker knows).
    empty_is_404 = True

    def base_queryset(self):
        return Partner.objects.for_tenant(self.tenant)

    @extend_schema(parameters=[OpenApiParameter("period", str, description="2026-07 or 2026-Q3")])
    def get(self, request, *args, **kwargs):
        partner = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        cards = (
            selectors.scorecard_detail(tenant=self.tenant)
            .current()
            .filter(partner=partner)
            .order_by("-period")
        )
        if request.query_params.get("period"):
            try:
                cards = cards.filter(period=parse_period(request.query_params["period"]).code)
            except Exception as exc:  # a bad period is the client's mistake
                raise ValidationError({"period": ["Use 2026-07 or 2026-Q3."]}) from exc
        card = cards.first()
        if card is None:
            return Response({"detail": "No scorecard for this period."}, status=status.HTTP_404_NOT_FOUND)
        return Response(s.ScorecardDetailSerializer(card, context=self.get_serializer_context()).data)


class ProductRegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """Product and warranty registrations partners submit for their end customers: the installed base.
    ``warranty_ends`` and ``next_service`` come from the product catalogue (reference list ``product``);
    a daily job reminds the partner's users (and the customer, where the programme allows it and
    ``customer_consent``) before them. ``import/`` takes a CSV (``partner`` for staff, ``customer,
    product, serial[, date, customer_email, customer_language, customer_consent]``)."""

    model = ProductRegistration
    serializer_class = s.ProductRegistrationSerializer
    read_capability = C.READ
    write_capability = C.REGISTER_PRODUCTS
    partner_scope = "partner"
    filterset_fields = ["partner", "product"]
    action_capabilities = {"import_csv": C.REGISTER_PRODUCTS}

    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request, *args, **kwargs):

        own = self.writing_partner(None) if self.access.is_partner else None
        return csv_import(
            request,
            lambda upload: registrations_import(
                tenant=self.tenant, file=upload, actor=request.user, partner=own
            ),
        )

    def base_queryset(self):
        return selectors.product_registration_list(tenant=self.tenant)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partner = self.writing_partner(data.pop("partner", None))
        serializer.instance = inputs.product_registration_add(
            tenant=self.tenant, actor=self.request.user, partner=partner, **data
        )


class SatisfactionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """Satisfaction survey results per partner (0–10: promoters, passives, detractors)."""

    model = SatisfactionResult
    serializer_class = s.SatisfactionSerializer
    read_capability = C.READ
    write_capability = C.SET_TARGETS
    partner_scope = "partner"

    def base_queryset(self):
        return selectors.satisfaction_list(tenant=self.tenant)

    def perform_create(self, serializer):
        serializer.instance = inputs.satisfaction_add(tenant=self.tenant, **serializer.validated_data)


class BusinessPlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """Joint business plans, one per partner and year: goals on KPIs (``{"kpi": code, "target"}``),
    activities each side commits to, the MDF planned. Managers draft (POST, PATCH while not agreed)
    and ``propose/``; the partner ``agree/``s (its goals become its quarterly targets, acknowledged)
    or ``request-changes/`` with a note; either side ticks activities of an agreed plan
    (``activity-done/``). A plan read alone carries its ``progress`` against the year."""

    model = BusinessPlan
    serializer_class = s.BusinessPlanSerializer
    read_capability = C.READ
    write_capability = C.PLAN_BUSINESS
    partner_scope = "partner"
    filterset_fields = ["partner", "year", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_capabilities = {
        "propose": C.PLAN_BUSINESS,
        "agree": C.AGREE_PLAN,
        "request_changes": C.AGREE_PLAN,
        "activity_done": C.COMPLETE_PLAN_ACTIVITY,
    }

    def base_queryset(self):
        return selectors.plan_list(tenant=self.tenant).prefetch_related("goals__kpi", "activities")

    def get_serializer_class(self):
        return s.PlanUpdateSerializer if self.action == "partial_update" else s.BusinessPlanSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_progress": self.action != "list"}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = plans.plan_create(tenant=self.tenant, actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = plans.plan_update(
            plan=serializer.instance, actor=self.request.user, **dict(serializer.validated_data)
        )

    def _answer(self, plan):
        plan = self.base_queryset().get(pk=plan.pk)
        return Response(s.BusinessPlanSerializer(plan, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=s.BusinessPlanSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request, *args, **kwargs):
        return self._answer(plans.plan_propose(plan=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=s.BusinessPlanSerializer)
    @action(detail=True, methods=["post"])
    def agree(self, request, *args, **kwargs):
        return self._answer(plans.plan_agree(plan=self.get_object(), actor=request.user))

    @extend_schema(request=s.PlanNoteSerializer, responses=s.BusinessPlanSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, *args, **kwargs):
        plan = self.get_object()  # someone else's plan is 404 before the body is read
        body = s.PlanNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = body.validated_data["note"]
        return self._answer(plans.plan_request_changes(plan=plan, actor=request.user, note=note))

    @extend_schema(request=s.PlanActivityDoneSerializer, responses=s.BusinessPlanSerializer)
    @action(detail=True, methods=["post"], url_path="activity-done")
    def activity_done(self, request, *args, **kwargs):
        plan = self.get_object()
        body = s.PlanActivityDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        activity = get_object_or_404(
            PlanActivity.objects.for_tenant(self.tenant).select_related("plan"),
            plan=plan,
            pk=body.validated_data["activity"],
        )
        plans.plan_activity_done(activity=activity, actor=request.user, done=body.validated_data["done"])
        return self._answer(plan)


class PartnerProgrammeView(TenantViewMixin, generics.GenericAPIView):
    """One partner's programme: what it is measured on, what its tier gives, what the next tier
    would give and what it takes to get there (staff; a partner user reads its own here too)."""

    model = Partner
    serializer_class = s.PartnerProgrammeSerializer
    read_capability = C.READ
    partner_scope = "id"
    filter_backends = []

    def base_queryset(self):
        return Partner.objects.for_tenant(self.tenant)

    def get(self, request, *args, **kwargs):

        partner = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return Response(programme_json(partner_programme(self.tenant, partner)))


class MyProgrammeView(PartnerProgrammeView):
    """The calling partner user's programme (``partners/{id}/programme/`` of its own partner)."""

    read_capability = C.PARTNER_HOME

    def get(self, request, *args, **kwargs):
        return super().get(request, pk=self.access.partner_id)

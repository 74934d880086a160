"""Payout runs (compute, approve, warnings, adjustments, export, payments) and their lines."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from incentives import run_warnings, selectors
from incentives.api import serializers as s
from incentives.exports import run_download, statement_download
from incentives.models import PayoutLine, PayoutRun
from incentives.services import payments, runs
from incentives.services.run_periods import ensure_started
from incentives.tasks import compute_run
from partners.api.serializers.imports import ImportFileSerializer, ImportResultSerializer
from partners.models import Partner
from prm.api.imports import csv_import
from prm.api.pagination import KeysetPagination
from prm.api.views import TenantViewSet
from prm.jobs.api.serializers import JobSerializer
from prm.pdf import reader_language
from prm.periods import parse_period
from prm.tenancy.capabilities import Capability as C

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PayoutRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Payout runs per period: compute a draft (202 job), read lines, approve once, export."""

    model = PayoutRun
    serializer_class = s.PayoutRunSerializer
    write_capability = C.COMPUTE_PAYOUT_RUN
    filterset_fields = ["period", "status"]
    action_capabilities = {
        "approve": C.APPROVE_PAYOUT_RUN,
        "acknowledge": C.APPROVE_PAYOUT_RUN,
        "adjustments": C.APPROVE_PAYOUT_RUN,
        "export": C.EXPORT_PAYOUT_RUN,
        "mark_exported": C.EXPORT_PAYOUT_RUN,
        "payments": C.RECORD_PAYMENTS,
        "payments_import": C.RECORD_PAYMENTS,
    }

    def base_queryset(self):
        # each run's number of warnings as its summary keeps it (or counted over its rows)
        return selectors.run_summaries(tenant=self.tenant)

    @extend_schema(request=s.RunRequestSerializer, responses={202: JobSerializer})
    def create(self, request, *args, **kwargs):
        """Compute (or recompute) the period's draft run as a job."""
        body = s.RunRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ensure_started(parse_period(body.validated_data["period"]))
        existing = (
            PayoutRun.objects.for_tenant(self.tenant).filter(period=body.validated_data["period"]).first()
        )
        try:
            runs.ensure_recomputable(existing)
        except runs.RunNotDraft as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        return self.job_accepted(kind="payout_run", task=compute_run, params=dict(body.validated_data))

    @extend_schema(responses=s.AccrualsSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def accruals(self, request, *args, **kwargs):
        """Where each period's money stands: accrued in a draft run, approved and not yet paid, paid."""
        return Response(s.AccrualsSerializer(selectors.accruals(tenant=self.tenant)).data)

    @extend_schema(
        responses=s.PayoutLineSerializer(many=True),
        parameters=[
            OpenApiParameter("partner", int),
            OpenApiParameter("rule", int),
            OpenApiParameter("kind", str),
        ],
    )
    @action(detail=True, methods=["get"], pagination_class=KeysetPagination)
    def lines(self, request, *args, **kwargs):
        """The run's lines with their explanations and source facts; filters partner, rule, kind."""
        run = self.get_object()
        queryset = selectors.line_list(tenant=self.tenant, run=run)
        for name in ("partner", "rule", "kind"):
            value = request.query_params.get(name)
            if value:
                if name != "kind" and not value.isdigit():
                    raise ValidationError({name: ["Use an id."]})
                queryset = queryset.filter(**{f"{name}_id" if name != "kind" else name: value})
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.PayoutLineSerializer(page, many=True).data)

    @extend_schema(
        request=s.ApproveSerializer,
        responses={200: s.PayoutRunSerializer, 409: OpenApiResponse(description="Approved already")},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        """Finance approves; warnings must be acknowledged; a rule's last editor may not approve."""
        run = self.get_object()
        body = s.ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            run = runs.payout_run_approve(run=run, actor=request.user, **body.validated_data)
        except runs.RunNotDraft as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        return Response(s.PayoutRunSerializer(selectors.run_list(tenant=self.tenant).get(pk=run.pk)).data)

    @extend_schema(
        responses={200: s.WarningSerializer(many=True), (200, "text/csv"): OpenApiTypes.STR},
        parameters=[
            OpenApiParameter("code", str, enum=sorted(run_warnings.KINDS)),
            OpenApiParameter("format", str, enum=["json", "csv"]),
        ],
    )
    @action(detail=True, methods=["get"])
    def warnings(self, request, *args, **kwargs):
        """Every warning of the run (or of one kind), in words: a page of them, or all as CSV."""
        run = self.get_object()
        code = request.query_params.get("code") or None
        if code and code not in run_warnings.KINDS:
            raise ValidationError({"code": [f"Use one of {', '.join(sorted(run_warnings.KINDS))}."]})
        if request.query_params.get("format") == "csv":
            return run_warnings.csv_download(run, code)
        page = self.paginate_queryset(run_warnings.rows(run, code))  # counted and paged in the database
        return self.get_paginated_response(
            s.WarningSerializer([run_warnings.item(row) for row in page], many=True).data
        )

    @extend_schema(
        request=s.AcknowledgeSerializer,
        responses={200: s.PayoutRunSerializer, 409: OpenApiResponse(description="Approved already")},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, *args, **kwargs):
        """Finance has checked one kind of warning (recorded with who and when)."""
        run = self.get_object()
        body = s.AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            run = runs.payout_run_acknowledge(run=run, actor=request.user, code=body.validated_data["code"])
        except runs.RunNotDraft as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        return Response(s.PayoutRunSerializer(selectors.run_list(tenant=self.tenant).get(pk=run.pk)).data)

    @extend_schema(request=s.AdjustmentSerializer, responses={201: s.PayoutLineSerializer})
    @action(detail=True, methods=["post"])
    def adjustments(self, request, *args, **kwargs):
        """Add a correction line (with its reason) to a draft run."""
        run = self.get_object()
        body = s.AdjustmentSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        if not run.is_draft:
            return Response(
                {"detail": "Approved runs never change; add the correction to a later run."},
                status=status.HTTP_409_CONFLICT,
            )
        line = runs.payout_adjustment_add(run=run, actor=request.user, **body.validated_data)
        return Response(s.PayoutLineSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["csv", "xlsx"])],
        responses={(200, "text/csv"): OpenApiTypes.STR, (200, XLSX): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def export(self, request, *args, **kwargs):
        """One row per partner and rule, a subtotal per partner and the total, as CSV or XLSX (approved
        runs). Downloading changes nothing: ``mark-exported/`` records that the file went to the bank."""
        run = self.get_object()
        kind = request.query_params.get("format", "csv")
        if kind not in ("csv", "xlsx"):
            raise ValidationError({"format": ["Use csv or xlsx."]})
        if run.is_draft:
            raise ValidationError({"detail": ["Approve the run before exporting it."]})
        return run_download(self.tenant, run, kind)

    @extend_schema(request=None, responses={200: s.PayoutRunSerializer})
    @action(detail=True, methods=["post"], url_path="mark-exported")
    def mark_exported(self, request, *args, **kwargs):
        """Record that the export went to the bank or ERP (approved → exported; once)."""
        run = runs.payout_run_mark_exported(run=self.get_object(), actor=request.user)
        return Response(s.PayoutRunSerializer(selectors.run_list(tenant=self.tenant).get(pk=run.pk)).data)

    @extend_schema(
        methods=["get"],
        responses=s.PaymentSerializer(many=True),
        filters=False,
    )
    @extend_schema(methods=["post"], request=s.PaymentRecordSerializer, responses={201: s.PaymentSerializer})
    @action(detail=True, methods=["get", "post"])
    def payments(self, request, *args, **kwargs):
        """The run's payments (GET), or record one partner's (POST: partner, paid_on, reference, and
        optionally amount, which must be what the run owes). The run is paid when every partner is."""
        run = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.payment_list(tenant=self.tenant).filter(run=run))
            return self.get_paginated_response(s.PaymentSerializer(page, many=True).data)
        body = s.PaymentRecordSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        payment = payments.payment_record(run=run, actor=request.user, **body.validated_data)
        return Response(s.PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ImportFileSerializer, responses={200: ImportResultSerializer})
    @action(detail=True, methods=["post"], url_path="payments/import")
    def payments_import(self, request, *args, **kwargs):
        """A bank or ERP file (CSV: partner_id or payee_reference, amount, paid_on, reference): all or
        nothing, every bad row reported; a known payment is unchanged."""
        run = self.get_object()
        return csv_import(
            request, lambda file: payments.payments_import(run=run, actor=request.user, file=file)
        )


class PayoutLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Payout lines across runs; a partner user sees its own lines of approved runs (its statements)."""

    model = PayoutLine
    serializer_class = s.PayoutLineSerializer
    pagination_class = KeysetPagination
    read_capability = C.READ
    partner_scope = "partner"
    filterset_fields = ["run", "kind"]
    #: a partner's line of a draft run answers 404 until the run is approved (the walker knows)
    empty_is_404 = True

    def base_queryset(self):
        return selectors.visible_to(
            PayoutLine.objects.for_tenant(self.tenant).select_related("partner", "rule", "run"), self.access
        )

    @extend_schema(
        parameters=[OpenApiParameter("run", int, required=True)],
        responses={(200, "application/pdf"): OpenApiResponse(description="Statement")},
    )
    @action(detail=False, methods=["get"])
    def statement(self, request, *args, **kwargs):
        """A partner's payout statement for one run as PDF (``?run=&partner=``; partners get their own)."""
        run_id = request.query_params.get("run", "")
        partner_id = (
            self.access.partner_id if self.access.is_partner else request.query_params.get("partner", "")
        )
        if not str(run_id).isdigit() or not str(partner_id).isdigit():
            raise ValidationError({"run": ["Give run and partner ids."]})
        run = selectors.statement_run(tenant=self.tenant, run_id=run_id, access=self.access)
        partner = get_object_or_404(Partner.objects.for_tenant(self.tenant), pk=partner_id)
        return statement_download(run, partner, reader_language(request))

"""The incentives API: rules (versioned), what-if, payout runs and lines, exports, rates, MDF, points."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from incentives import mdf_budget, run_warnings, selectors
from incentives.choices import RuleKind
from incentives.exports import run_download, statement_download
from incentives.models import (
    ExchangeRate,
    IncentiveRule,
    MdfClaim,
    MdfRequest,
    Payment,
    PayoutLine,
    PayoutRun,
    PointsEntry,
)
from incentives.services import mdf, payments, rates, rules, runs, whatif
from incentives.tasks import compute_run
from partners.api.serializers.imports import ImportFileSerializer, ImportResultSerializer
from partners.models import Partner
from prm.api.imports import csv_import
from prm.api.pagination import KeysetPagination
from prm.api.schema import seen_by_staff_or_partner
from prm.api.views import TenantViewSet
from prm.jobs.api.serializers import JobSerializer
from prm.periods import parse_period, period_containing
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability as C

from ..views.mdf import mdf_proof_response
from . import serializers as s

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@seen_by_staff_or_partner("IncentiveRuleAsSeen", s.IncentiveRuleSerializer, s.PartnerRuleSerializer)
class IncentiveRuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """Incentive rules; PATCH makes a new version (runs keep the version they used). A partner user
    reads the rules it is paid by (those whose tier, stage and region it meets), in words."""

    model = IncentiveRule
    serializer_class = s.IncentiveRuleSerializer
    read_capability = C.READ
    write_capability = C.EDIT_RULES
    partner_scope = SHARED_WITH_PARTNERS
    filterset_fields = ["kind", "active"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_capabilities = {"what_if": C.PREVIEW_RULES}

    def base_queryset(self):
        if self.access.is_partner:
            partner = Partner.objects.for_tenant(self.tenant).get(pk=self.access.partner_id)
            return selectors.rules_for_partner(tenant=self.tenant, partner=partner)
        return selectors.rule_list(tenant=self.tenant, current_only=self.action != "retrieve")

    def get_serializer_class(self):
        if getattr(self.request, "tenant_access", None) is not None and self.access.is_partner:
            return s.PartnerRuleSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        serializer.instance = rules.rule_create(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = rules.rule_edit(
            rule=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        request=s.WhatIfSerializer,
        responses={200: OpenApiResponse(description="Cost per partner and in total")},
    )
    @action(detail=False, methods=["post"], url_path="what-if")
    def what_if(self, request, *args, **kwargs):
        """Run a changed or new rule against a past period without saving it."""
        body = s.WhatIfSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        base = None
        if data.get("compare_with"):
            base = get_object_or_404(
                selectors.rule_list(tenant=self.tenant, current_only=False), pk=data["compare_with"]
            )
        if not isinstance(data["rule"], dict):
            raise ValidationError({"rule": ["Give the rule as an object."]})
        # the rule is checked exactly as POST incentive-rules/ checks it (dates parsed, fields known)
        rule = s.IncentiveRuleSerializer(data={"name": "What-if", **data["rule"]})
        if not rule.is_valid():
            raise ValidationError({"rule": rule.errors})
        fields = {k: v for k, v in rule.validated_data.items() if k != "name"}
        return Response(
            whatif.what_if(tenant=self.tenant, period=data["period"], rule_fields=fields, compare_with=base)
        )


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
        return statement_download(run, partner)


class ExchangeRateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """The tenant's rate table: 1 unit of ``currency`` in the tenant's currency from ``date``."""

    model = ExchangeRate
    serializer_class = s.RateSerializer
    write_capability = C.MANAGE_RATES
    filterset_fields = ["currency"]

    def base_queryset(self):
        return selectors.rates(tenant=self.tenant)

    action_capabilities = {"import_csv": C.MANAGE_RATES}

    def perform_create(self, serializer):
        serializer.instance = rates.rate_add(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        request={"multipart/form-data": ImportFileSerializer}, responses={200: ImportResultSerializer}
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request, *args, **kwargs):
        """Import rates from a CSV (currency, date, rate): all or nothing, errors by row."""
        return csv_import(
            request, lambda upload: rates.rates_import(tenant=self.tenant, actor=request.user, file=upload)
        )


class PointsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Points ledger (non-monetary rewards); partners see their own."""

    model = PointsEntry
    serializer_class = s.PointsSerializer
    read_capability = C.READ
    partner_scope = "partner"
    filterset_fields = ["partner", "run"]

    def base_queryset(self):
        return selectors.visible_to(selectors.points_list(tenant=self.tenant), self.access)


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Payments of approved runs (the bank's date and reference per partner); partners see their own.
    Finance records them on the run: ``payout-runs/{id}/payments/``."""

    model = Payment
    serializer_class = s.PaymentSerializer
    read_capability = C.READ
    partner_scope = "partner"
    filterset_fields = ["partner", "run"]

    def base_queryset(self):
        return selectors.payment_list(tenant=self.tenant)


class MdfRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """MDF requests: a partner asks for funds with a plan; a manager decides."""

    model = MdfRequest
    serializer_class = s.MdfRequestSerializer
    read_capability = C.READ
    write_capability = C.REQUEST_MDF
    partner_scope = "partner"
    action_capabilities = {"decide": C.DECIDE_MDF}

    def base_queryset(self):
        return selectors.mdf_requests(tenant=self.tenant)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partner = self.writing_partner(data.pop("partner", None))
        serializer.instance = mdf.mdf_request_create(
            tenant=self.tenant, actor=self.request.user, partner=partner, **data
        )

    @extend_schema(request=s.DecisionSerializer, responses=s.MdfRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        item = self.get_object()
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = mdf.mdf_request_decide(request=item, actor=request.user, **body.validated_data)
        return Response(s.MdfRequestSerializer(item, context=self.get_serializer_context()).data)


class MdfClaimViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """MDF claims with proof of execution (multipart); paid in the period's payout run."""

    model = MdfClaim
    serializer_class = s.MdfClaimSerializer
    read_capability = C.READ
    write_capability = C.REQUEST_MDF
    partner_scope = "request__partner"
    action_capabilities = {"decide": C.DECIDE_MDF}

    def base_queryset(self):
        return selectors.mdf_claims(tenant=self.tenant)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = mdf.mdf_claim_submit(
            request=data["request"],
            amount=data["amount"],
            description=data["description"],
            proof=data["proof"],
            actor=self.request.user,
        )

    @extend_schema(
        responses={
            (200, media): OpenApiTypes.BINARY for media in ("application/pdf", "image/png", "image/jpeg")
        }
    )
    @action(detail=True, methods=["get"])
    def proof(self, request, *args, **kwargs):
        """The proof of execution, as an attachment (404 for anyone who cannot see the claim)."""
        return mdf_proof_response(self.get_object())

    @extend_schema(request=s.DecisionSerializer, responses=s.MdfClaimSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        claim = self.get_object()
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        claim = mdf.mdf_claim_decide(claim=claim, actor=request.user, approve=body.validated_data["approve"])
        return Response(s.MdfClaimSerializer(claim, context=self.get_serializer_context()).data)


class MdfBudgetViewSet(TenantViewSet):
    """MDF budgets of ``?period=`` (default: this quarter): per partner and MDF rule, the budget (and its
    basis in words), what is committed (approved requests), claimed, paid and what remains. Staff see
    every partner and rule requested under in the period (``?partner=`` and ``?rule=`` narrow it); a
    partner user sees its own, under each MDF rule that pays it."""

    serializer_class = s.MdfBudgetSerializer
    read_capability = C.READ
    partner_scope = "partner"
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="2026-07 or 2026-Q3 (default: this quarter)"),
            OpenApiParameter("partner", int, description="A partner's id (staff)"),
            OpenApiParameter("rule", int, description="An MDF rule's id (any of its versions)"),
        ]
    )
    def list(self, request, *args, **kwargs):
        params = request.query_params
        try:
            period = parse_period(params.get("period") or period_containing(timezone.localdate()).code)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        rule_key = None
        if params.get("rule"):
            rule_key = (
                IncentiveRule.objects.for_tenant(self.tenant)
                .filter(pk=_number(params["rule"], "rule"), kind=RuleKind.MDF)
                .values_list("key", flat=True)
                .first()
            )
            if rule_key is None:
                raise ValidationError({"rule": ["Use an MDF rule's id."]})
        if self.access.is_partner:
            partner = Partner.objects.for_tenant(self.tenant).get(pk=self.access.partner_id)
            rows = mdf_budget.partner_pairs(
                tenant=self.tenant, period=period, partner=partner, rule_key=rule_key
            )
        else:
            partner_id = _number(params["partner"], "partner") if params.get("partner") else None
            rows = mdf_budget.requested_pairs(
                tenant=self.tenant, period=period, partner_id=partner_id, rule_key=rule_key
            )
        page = self.paginate_queryset(rows)
        pairs = [row if isinstance(row, tuple) else (row["partner_id"], row["rule__key"]) for row in page]
        budgets = mdf_budget.budgets(tenant=self.tenant, period=period, pairs=pairs)
        return self.get_paginated_response(self.get_serializer(budgets, many=True).data)


def _number(value: str, field: str) -> int:
    if not value.isdigit():
        raise ValidationError({field: ["Use an id."]})
    return int(value)

"""Market development funds: requests, claims with their proof, budgets."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from incentives import mdf_budget, selectors
from incentives.api import serializers as s
from incentives.choices import RuleKind
from incentives.models import IncentiveRule, MdfClaim, MdfRequest
from incentives.services import mdf
from incentives.views.mdf import mdf_proof_response
from partners.models import Partner
from prm.api.views import TenantViewSet
from prm.periods import parse_period, period_containing
from prm.tenancy.capabilities import Capability as C


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

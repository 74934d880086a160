"""Incentive rules (versioned) and the what-if of a changed or new rule."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from incentives import selectors
from incentives.api import serializers as s
from incentives.models import IncentiveRule
from incentives.services import rules, whatif
from partners.models import Partner
from prm.api.schema import seen_by_staff_or_partner
from prm.api.views import TenantViewSet
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability as C


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

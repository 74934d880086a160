"""Deal registrations."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from partners import selectors
from partners.api.serializers.deals import (
    DealCloseSerializer,
    DealDecisionSerializer,
    DealExtensionSerializer,
    DealSerializer,
    DealWithdrawalSerializer,
)
from partners.api.views.validation import _valid
from partners.filters import DealFilter
from partners.models import DealRegistration
from partners.selling import deals
from prm.api.views import TenantViewSet
from prm.tenancy.capabilities import Capability as C


class DealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet):
    """Deal registrations, with ``conflicts``: other partners' open registrations for the same customer."""

    model = DealRegistration
    serializer_class = DealSerializer
    filterset_class = DealFilter
    read_capability = C.READ
    write_capability = C.REGISTER_DEAL
    partner_scope = "partner"
    ordering_fields = ["registered_at", "expires_at", "expected_amount"]
    action_capabilities = {
        "decide": C.DECIDE_DEAL,
        "extend": C.DECIDE_DEAL,
        "close": C.CLOSE_DEAL,
        "withdraw": C.REGISTER_DEAL,
    }

    def base_queryset(self):
        return selectors.deal_list(tenant=self.tenant)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        context = {**self.get_serializer_context(), "conflicts": self._conflicts(page)}
        return self.get_paginated_response(DealSerializer(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        deal = self.get_object()
        return Response(self._represent(deal))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partner = self.writing_partner(data.pop("partner", None))
        serializer.instance = deals.deal_register(partner=partner, actor=self.request.user, **data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self._represent(serializer.instance), status=status.HTTP_201_CREATED)

    @extend_schema(request=DealDecisionSerializer, responses=DealSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        """Approve or reject a pending registration; rejecting needs a reason."""
        deal = self.get_object()
        body = _valid(DealDecisionSerializer, request.data)
        deal = deals.deal_decide(deal=deal, actor=request.user, **body)
        return Response(self._represent(deal))

    @extend_schema(request=DealCloseSerializer, responses=DealSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        """Record that an approved registration was won (with its amount) or lost; feeds win rate and bonuses.

        The vendor's act: partner users cannot close deals, and a pending registration cannot be closed."""
        deal = self.get_object()
        body = _valid(DealCloseSerializer, request.data)
        deal = deals.deal_close(deal=deal, actor=request.user, **body)
        return Response(self._represent(deal))

    @extend_schema(request=DealWithdrawalSerializer, responses=DealSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        """Take back a pending registration (the partner that registered it, or a manager)."""
        deal = self.get_object()
        body = _valid(DealWithdrawalSerializer, request.data)
        deal = deals.deal_withdraw(deal=deal, actor=request.user, **body)
        return Response(self._represent(deal))

    @extend_schema(request=DealExtensionSerializer, responses=DealSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, *args, **kwargs):
        """Extend an open registration's protection window by some days."""
        deal = self.get_object()
        body = _valid(DealExtensionSerializer, request.data)
        deal = deals.deal_extend(deal=deal, actor=request.user, **body)
        return Response(self._represent(deal))

    def _conflicts(self, deals_page):
        if self.access.is_partner:  # other partners' registrations are none of a partner's business
            return {}
        return selectors.deal_conflicts(tenant=self.tenant, deals=deals_page or [])

    def _represent(self, deal):
        context = {**self.get_serializer_context(), "conflicts": self._conflicts([deal])}
        return DealSerializer(deal, context=context).data

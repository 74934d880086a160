from copy import copy

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from partners.api.serializers.deals import DealSerializer
from partners.selectors import deal_conflicts
from prm.api.imports import csv_import
from prm.api.views import TenantViewSet
from prm.tenancy.capabilities import Capability as C

from .. import selectors
from ..models import Lead, LeadRule
from ..services import distribution, intake
from . import serializers as s


class LeadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet):
    """Customer leads, offered to partners by the lead rules. Staff enter (POST) or ``import/`` them
    and ``route/`` a waiting one again; the partner it is offered to ``accept/``s, ``decline/``s with
    a reason (it goes to the next partner) or, once accepted, ``convert/``s it into its deal
    registration (the answer is the registration, conflicts flagged). A partner user sees the leads
    its partner holds."""

    model = Lead
    serializer_class = s.LeadSerializer
    read_capability = C.READ
    write_capability = C.DISTRIBUTE_LEADS
    partner_scope = "partner"
    filterset_fields = ["status", "partner", "source", "region"]
    ordering_fields = ["created_at", "respond_by"]
    action_capabilities = {
        "accept": C.ANSWER_LEAD,
        "decline": C.ANSWER_LEAD,
        "convert": C.ANSWER_LEAD,
        "route": C.DISTRIBUTE_LEADS,
        "import_csv": C.DISTRIBUTE_LEADS,
    }

    def base_queryset(self):
        return selectors.lead_list(tenant=self.tenant).prefetch_related("offers")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        access = context.get("access")
        if access is not None and access.is_partner:
            context["partner_id"] = access.partner_id
        return context

    def perform_create(self, serializer):
        serializer.instance = distribution.lead_create(
            tenant=self.tenant, actor=self.request.user, **dict(serializer.validated_data)
        )

    def _answer(self, lead):
        """The lead as the caller may now see it: a partner that declined it no longer holds it, so it
        reads its own answer (declined, no partner), never the partner it went to next."""
        shown = self.get_queryset().filter(pk=lead.pk).first()
        if shown is None:
            shown = copy(lead)
            shown.status, shown.partner, shown.rule, shown.offered_at, shown.respond_by = (
                "declined",
                None,
                None,
                None,
                None,
            )
        return Response(s.LeadSerializer(shown, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=s.LeadSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        return self._answer(distribution.lead_accept(lead=self.get_object(), actor=request.user))

    @extend_schema(request=s.LeadDeclineSerializer, responses=s.LeadSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        lead = self.get_object()
        body = s.LeadDeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        lead = distribution.lead_decline(lead=lead, actor=request.user, reason=body.validated_data["reason"])
        return self._answer(lead)

    @extend_schema(request=None, responses={201: DealSerializer})
    @action(detail=True, methods=["post"])
    def convert(self, request, *args, **kwargs):
        deal = distribution.lead_convert(lead=self.get_object(), actor=request.user)
        context = {
            **self.get_serializer_context(),
            "conflicts": deal_conflicts(tenant=self.tenant, deals=[deal]),
        }
        return Response(DealSerializer(deal, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.LeadSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, *args, **kwargs):
        """Offer a waiting lead (new, declined by all, expired) by the rules again."""
        return self._answer(distribution.lead_route(lead=self.get_object(), actor=request.user))

    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request, *args, **kwargs):
        """Leads from a CSV (``external_id, customer[, contact_name, contact_email, contact_phone, region,
        industry, product, description, expected_amount, currency, language]``): all or nothing, every
        bad row named; known external ids are ``unchanged``. New leads are offered by the rules."""
        return csv_import(
            request, lambda upload: intake.leads_import(tenant=self.tenant, file=upload, actor=request.user)
        )


class LeadRuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantViewSet,
):
    """The rules that offer leads to partners, first match by ``position``: the lead's ``regions`` and
    ``industries`` (empty: any), whether the partner must share its region or industry, the weight of
    each tier, the cap of open leads per partner and the hours a partner has to answer."""

    model = LeadRule
    serializer_class = s.LeadRuleSerializer
    read_capability = C.READ_VENDOR_SIDE
    write_capability = C.EDIT_LEAD_RULES
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def base_queryset(self):
        return selectors.rule_list(tenant=self.tenant)

    def perform_create(self, serializer):
        serializer.instance = distribution.lead_rule_save(
            tenant=self.tenant, actor=self.request.user, **dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = distribution.lead_rule_save(
            tenant=self.tenant,
            actor=self.request.user,
            rule=serializer.instance,
            **dict(serializer.validated_data),
        )

    def perform_destroy(self, instance):
        distribution.lead_rule_delete(rule=instance, actor=self.request.user)

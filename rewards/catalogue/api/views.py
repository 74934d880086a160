"""The catalogue's API: ``rewards/`` (the catalogue, each reward's picture, a partner's points
``balance/``) and ``redemptions/`` (redeem, approve, refuse, fulfil, cancel, the fulfilment
``export/``)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from partners.models import Partner
from prm.api.views import TenantViewSet
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability as C

from .. import selectors
from ..exports import fulfilment_csv
from ..models import Redemption, RewardItem
from ..pictures import picture_response
from ..services import items, redemptions
from ..summary import points_summary
from . import serializers as s


class RewardViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """The rewards catalogue. Staff see every reward; a partner user sees what its partner may
    redeem now (window, tiers, preferences), those that suit its preferences first (``for_you``).
    Managers add and change rewards (``picture/`` takes a PNG or JPEG as multipart ``picture``);
    ``balance/`` is a partner's points (a partner user's own; staff name ``?partner=``)."""

    model = RewardItem
    serializer_class = s.RewardItemSerializer
    read_capability = C.READ
    write_capability = C.MANAGE_CATALOGUE
    partner_scope = SHARED_WITH_PARTNERS
    filterset_fields = ["kind", "active"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        rewards = selectors.item_list(tenant=self.tenant)
        if self.access.is_partner:
            partner = Partner.objects.for_tenant(self.tenant).get(pk=self.access.partner_id)
            self._offer = {item.pk: item for item in selectors.offer_for(tenant=self.tenant, partner=partner)}
            rewards = rewards.filter(pk__in=list(self._offer))
        return rewards

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        offer = getattr(self, "_offer", None)
        if offer is not None:  # a partner's own order: for its preferences first
            rows = response.data["results"]
            for row in rows:
                row["for_you"] = offer[row["id"]].for_you
            rows.sort(key=lambda row: (not row["for_you"], row["points"], row["name"]))
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        offer = getattr(self, "_offer", None)
        if offer is not None:
            response.data["for_you"] = offer[response.data["id"]].for_you
        return response

    def perform_create(self, serializer):
        serializer.instance = items.reward_save(
            tenant=self.tenant, actor=self.request.user, **dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = items.reward_save(
            tenant=self.tenant,
            actor=self.request.user,
            item=serializer.instance,
            **dict(serializer.validated_data),
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={(200, media): OpenApiTypes.BINARY for media in ("image/png", "image/jpeg")},
    )
    @extend_schema(methods=["POST"], request=s.PictureSerializer, responses=s.RewardItemSerializer)
    @action(detail=True, methods=["get", "post"])
    def picture(self, request, *args, **kwargs):
        """GET: the reward's picture (404 without one); POST (managers): a new PNG or JPEG."""
        item = self.get_object()
        if request.method == "GET":
            return picture_response(item)
        upload = request.FILES.get("picture")
        if upload is None:
            raise ApiValidationError({"picture": ["Choose a file."]})
        item = items.reward_save(tenant=self.tenant, actor=request.user, item=item, picture=upload)
        return Response(s.RewardItemSerializer(item, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[OpenApiParameter("partner", int, description="Staff: the partner (required).")],
        responses=s.BalanceSerializer,
    )
    @action(detail=False, methods=["get"])
    def balance(self, request, *args, **kwargs):
        """A partner's points: balance, reserved by open requests, expiring within 30 days."""
        partners = Partner.objects.for_tenant(self.tenant)
        if self.access.is_partner:
            partner = partners.get(pk=self.access.partner_id)
        else:
            given = request.query_params.get("partner", "")
            if not given.isdigit():
                raise ApiValidationError({"partner": ["Name the partner (?partner=<id>)."]})
            partner = get_object_or_404(partners, pk=int(given))
        return Response(s.BalanceSerializer(points_summary(partner)).data)

    picture.empty_is_404 = True  # a reward without a picture answers 404 (tests/test_isolation.py)

    @classmethod
    def capability_for(cls, method, action=None):
        if action == "picture":
            return C.READ if method in ("GET", "HEAD", "OPTIONS") else C.MANAGE_CATALOGUE
        return super().capability_for(method, action)


class RedemptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Redemptions of points, newest first (``?status=`` filters; ``ordering=created_at`` gives the
    queue oldest first). POST redeems: the price is reserved at once, refused (400) when the partner
    holds too few points, too few are in stock or the reward is not offered to it; a partner user
    spends its own partner's points, staff name ``partner``. Managers ``approve/`` or ``refuse/``
    (with a ``note``) a requested one — never one they requested — then ``fulfil/`` it step by step
    (``ordered``, ``shipped`` (or booked), ``delivered``, each with a note); ``cancel/`` gives the
    points back (a partner user: while it waits for a decision; a manager: until shipped).
    ``export/`` is the CSV of what waits to be fulfilled."""

    model = Redemption
    serializer_class = s.RedemptionSerializer
    read_capability = C.READ
    write_capability = C.REDEEM_POINTS
    partner_scope = "partner"
    filterset_fields = ["status", "partner", "item"]
    ordering_fields = ["created_at"]
    action_capabilities = {
        "approve": C.DECIDE_REDEMPTION,
        "refuse": C.DECIDE_REDEMPTION,
        "fulfil": C.DECIDE_REDEMPTION,
        "export": C.DECIDE_REDEMPTION,
        "cancel": C.REDEEM_POINTS,
    }

    def base_queryset(self):
        return selectors.redemption_list(tenant=self.tenant)

    def _answer(self, redemption, status=200):
        return Response(
            s.RedemptionSerializer(redemption, context=self.get_serializer_context()).data, status=status
        )

    @extend_schema(request=s.RedeemSerializer, responses={201: s.RedemptionSerializer})
    def create(self, request, *args, **kwargs):
        body = s.RedeemSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        partner = self.writing_partner(data["partner"])
        if self.access.is_partner:
            item = get_object_or_404(
                selectors.item_list(tenant=self.tenant).filter(active=True), pk=data["item"]
            )
        else:
            item = get_object_or_404(selectors.item_list(tenant=self.tenant), pk=data["item"])
        redemption = redemptions.redemption_request(
            tenant=self.tenant,
            partner=partner,
            item=item,
            actor=request.user,
            quantity=data["quantity"],
            note=data["note"],
        )
        return self._answer(redemption, status=201)

    @extend_schema(request=s.NoteSerializer, responses=s.RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        redemption = self.get_object()
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            redemptions.redemption_decide(
                redemption=redemption,
                actor=request.user,
                approve=True,
                note=body.validated_data["note"],
            )
        )

    @extend_schema(request=s.NoteSerializer, responses=s.RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, *args, **kwargs):
        redemption = self.get_object()
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            redemptions.redemption_decide(
                redemption=redemption,
                actor=request.user,
                approve=False,
                note=body.validated_data["note"],
            )
        )

    @extend_schema(request=s.FulfilSerializer, responses=s.RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def fulfil(self, request, *args, **kwargs):
        redemption = self.get_object()
        body = s.FulfilSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            redemptions.redemption_fulfil(
                redemption=redemption,
                actor=request.user,
                status=body.validated_data["status"],
                note=body.validated_data["note"],
            )
        )

    @extend_schema(request=s.NoteSerializer, responses=s.RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        redemption = self.get_object()
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            redemptions.redemption_cancel(
                redemption=redemption,
                actor=request.user,
                by_partner=self.access.is_partner,
                note=body.validated_data["note"],
            )
        )

    @extend_schema(request=None, responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=False, methods=["get"])
    def export(self, request, *args, **kwargs):
        """CSV of the redemptions to fulfil (approved, ordered, shipped), oldest first; ISO dates."""
        return fulfilment_csv(self.tenant)

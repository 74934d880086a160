from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from prm.api.views import TenantViewSet
from prm.tenancy.capabilities import Capability as C

from ..choices import Category, Status
from ..downloads import attachment_response
from ..models import PartnerRequest
from ..selectors import overdue_filter, requests_of, thread
from ..services import request_close, request_raise, request_reply
from . import serializers as s


class PartnerRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Partners' requests, ideas and complaints to the vendor. A partner user reads and raises its
    own partner's (another partner's is 404); staff read every partner's. POST raises one (partner
    users; multipart with ``attachment`` for a file). ``messages/`` lists the thread (GET) or adds
    to it (POST: the vendor's answer, or the partner's reply, which reopens it); ``close/`` closes
    it (either side). Filters: ``status``, ``category``, ``partner``, ``overdue=true``."""

    model = PartnerRequest
    serializer_class = s.PartnerRequestSerializer
    read_capability = C.READ
    write_capability = C.RAISE_REQUEST
    action_capabilities = {"close": C.REPLY_REQUEST, "attachment": C.READ}
    partner_scope = "partner"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @classmethod
    def capability_for(cls, method: str, action: str | None = None):
        """``messages/``: reading the thread is reading; writing to it is replying."""
        if action == "messages" and method not in SAFE_METHODS:
            return C.REPLY_REQUEST
        return super().capability_for(method, action)

    def base_queryset(self):
        rows = requests_of(self.tenant)
        params = self.request.query_params
        if params.get("status") in Status.values:
            rows = rows.filter(status=params["status"])
        if params.get("category") in Category.values:
            rows = rows.filter(category=params["category"])
        if (params.get("partner") or "").isdigit():
            rows = rows.filter(partner_id=int(params["partner"]))
        if params.get("overdue") in ("true", "1"):
            rows = rows.filter(overdue_filter())
        return rows

    def get_serializer_class(self):
        return s.PartnerRequestDetailSerializer if self.action == "retrieve" else s.PartnerRequestSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", enum=Status.values),
            OpenApiParameter("category", enum=Category.values),
            OpenApiParameter("partner", int),
            OpenApiParameter("overdue", bool),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.RaiseSerializer, responses={201: s.PartnerRequestDetailSerializer})
    def create(self, request, *args, **kwargs):
        body = s.RaiseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        partner_request = request_raise(
            tenant=self.tenant,
            access=self.access,
            actor=request.user,
            category=data["category"],
            subject=data["subject"],
            text=data["text"],
            attachment=data.get("attachment"),
        )
        context = self.get_serializer_context()
        return Response(s.PartnerRequestDetailSerializer(partner_request, context=context).data, status=201)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=s.RequestMessageSerializer(many=True),
        description="The thread.",
    )
    @extend_schema(
        methods=["POST"],
        request=s.ReplySerializer,
        responses={201: s.RequestMessageSerializer},
        description="Answer (the vendor) or reply (the partner, reopening it).",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def messages(self, request, *args, **kwargs):
        partner_request = self.get_object()
        if request.method == "GET":
            return Response(s.RequestMessageSerializer(thread(partner_request), many=True).data)
        body = s.ReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = request_reply(
            partner_request=partner_request,
            access=self.access,
            actor=request.user,
            text=body.validated_data["text"],
        )
        return Response(s.RequestMessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.PartnerRequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        partner_request = request_close(
            partner_request=self.get_object(), access=self.access, actor=request.user
        )
        return Response(
            s.PartnerRequestSerializer(partner_request, context=self.get_serializer_context()).data
        )

    @extend_schema(request=None, responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def attachment(self, request, *args, **kwargs):
        """The request's attachment (404 for anyone who cannot see the request, or without one)."""
        return attachment_response(self.get_object())

"""webhooks/: admins register endpoints, read their deliveries, redeliver one, ping."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from prm.api.pagination import KeysetPagination
from prm.api.views import TenantViewSet
from prm.tenancy.capabilities import Capability

from . import services
from .catalogue import EVENTS
from .models import Delivery, Endpoint


class EndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.CharField(), help_text=f'Any of {", ".join(EVENTS)}; or ["*"] for every event'
    )

    class Meta:
        model = Endpoint
        fields = ["id", "url", "events", "active", "description", "disabled_reason", "created_at"]
        read_only_fields = ["disabled_reason", "created_at"]


class NewEndpointSerializer(EndpointSerializer):
    """Returned once, on creation: the ``secret`` that signs every delivery (``PRM-Signature``)."""

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]
        read_only_fields = [*EndpointSerializer.Meta.read_only_fields, "secret"]


class ExcerptField(serializers.CharField):
    def to_representation(self, value):
        return services.excerpt(str(value))


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="event.name")
    event_id = serializers.UUIDField(source="event.uid")
    response = ExcerptField(read_only=True, help_text="The first 200 characters of the answer, or the error")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "event_id",
            "status",
            "status_code",
            "attempts",
            "next_attempt_at",
            "duration_ms",
            "response",
            "created_at",
            "delivered_at",
        ]


class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantViewSet,
):
    """Outbound webhooks: POST an endpoint (its ``secret`` comes back once), then every listed event
    is POSTed to it signed (``PRM-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">``)."""

    model = Endpoint
    serializer_class = EndpointSerializer
    read_capability = write_capability = Capability.MANAGE_WEBHOOKS
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def base_queryset(self):
        return Endpoint.objects.for_tenant(self.tenant)

    @extend_schema(responses={201: NewEndpointSerializer})
    def create(self, request, *args, **kwargs):
        body = EndpointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(tenant=self.tenant, actor=request.user, **body.validated_data)
        return Response(NewEndpointSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = services.endpoint_update(
            endpoint=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(responses=DeliverySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"])
    def deliveries(self, request, *args, **kwargs):
        """The endpoint's deliveries, newest first (cursor pages): status, HTTP code, attempts, the answer."""
        endpoint = self.get_object()
        paginator = KeysetPagination()
        queryset = Delivery.objects.for_tenant(self.tenant).filter(endpoint=endpoint).select_related("event")
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(request=None, responses=DeliverySerializer)
    @action(detail=True, methods=["post"], url_path=r"deliveries/(?P<delivery_id>\d+)/redeliver")
    def redeliver(self, request, *args, delivery_id=None, **kwargs):
        """Send one delivery again now (the same event ``id``: receivers dedupe)."""
        endpoint = self.get_object()
        delivery = get_object_or_404(
            Delivery.objects.for_tenant(self.tenant).filter(endpoint=endpoint), pk=delivery_id
        )
        services.redeliver(delivery=delivery)
        return Response(DeliverySerializer(Delivery.objects.for_tenant(self.tenant).get(pk=delivery.pk)).data)

    @extend_schema(request=None, responses=DeliverySerializer)
    @action(detail=True, methods=["post"])
    def ping(self, request, *args, **kwargs):
        """Send a ``ping`` event to this endpoint now and answer how it went."""
        delivery = services.ping(endpoint=self.get_object())
        return Response(DeliverySerializer(delivery).data)


router = SimpleRouter()
router.register("webhooks", WebhookViewSet, basename="webhook")
urlpatterns = [*router.urls]

"""me/notifications/: the caller's own notification preferences in this tenant (every role)."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from prm.api.views import TenantViewMixin
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability

from .models import NotificationPreference
from .registry import categories
from .services import preference_set


class PreferenceSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField(read_only=True)
    enabled = serializers.BooleanField()


class PreferencesView(TenantViewMixin, generics.GenericAPIView):
    """Which e-mails the caller gets (GET); PATCH ``{category: true|false}`` for any of them."""

    serializer_class = PreferenceSerializer
    read_capability = write_capability = Capability.OWN_SETTINGS
    partner_scope = SHARED_WITH_PARTNERS  # only ever the caller's own settings
    filter_backends = []
    pagination_class = None
    model = None

    def rows(self):
        off = set(
            NotificationPreference.objects.for_tenant(self.tenant)
            .filter(user=self.request.user, enabled=False)
            .values_list("category", flat=True)
        )
        return [
            {"category": c, "label": str(label), "enabled": c not in off} for c, label in categories().items()
        ]

    @extend_schema(responses=PreferenceSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return Response(PreferenceSerializer(self.rows(), many=True).data)

    @extend_schema(
        request={"application/json": {"type": "object", "additionalProperties": {"type": "boolean"}}},
        responses=PreferenceSerializer(many=True),
    )
    def patch(self, request, *args, **kwargs):
        known = categories()
        data = request.data if isinstance(request.data, dict) else {}
        errors = {k: ["Unknown category."] for k in data if k not in known}
        errors |= {
            k: ["Use true or false."] for k, v in data.items() if k in known and not isinstance(v, bool)
        }
        if errors or not data:
            raise serializers.ValidationError(errors or {"detail": ["Send {category: true|false}."]})
        for category, enabled in data.items():
            preference_set(tenant=self.tenant, user=request.user, category=category, enabled=enabled)
        return Response(PreferenceSerializer(self.rows(), many=True).data)


urlpatterns = [path("me/notifications/", PreferencesView.as_view(), name="notification-preferences")]

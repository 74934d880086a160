from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.response import Response

from prm.api.views import TenantViewSet
from prm.tenancy.capabilities import Capability as C

from ..models import RewardPreference
from ..services import preferences_state
from . import serializers as s


class RewardPreferenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Partners' preferred kinds of reward. Staff read every partner's; a partner user reads its own
    partner's. Its partner admin states them with POST (``{"kinds": ["points", "training"]}``, most
    preferred first; ``[]`` withdraws them): the answer is the partner's preference. A partner user
    that is not its partner's admin, and staff, are refused (400 and 403)."""

    model = RewardPreference
    serializer_class = s.RewardPreferenceSerializer
    read_capability = C.READ
    write_capability = C.STATE_REWARD_PREFERENCES
    partner_scope = "partner"
    filterset_fields = ["partner"]

    def base_queryset(self):
        return RewardPreference.objects.for_tenant(self.tenant).order_by("partner__name", "id")

    @extend_schema(request=s.RewardPreferenceStateSerializer, responses={200: s.RewardPreferenceSerializer})
    def create(self, request, *args, **kwargs):
        body = s.RewardPreferenceStateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        preference = preferences_state(
            tenant=self.tenant, access=self.access, actor=request.user, kinds=body.validated_data["kinds"]
        )
        return Response(s.RewardPreferenceSerializer(preference).data)

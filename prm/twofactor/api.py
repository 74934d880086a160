"""two-factor/: the tenant's two-factor policy for its staff, and who has set it up (admins)."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from prm.api.views import TenantViewMixin
from prm.tenancy.capabilities import Capability

from . import services
from .devices import staff_two_factor
from .policy import staff_must_use_two_factor


class StaffTwoFactorSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id")
    username = serializers.CharField(source="user.username")
    role = serializers.CharField()
    two_factor = serializers.BooleanField(help_text="Whether the member has set two-factor sign-in up")


class TwoFactorPolicySerializer(serializers.Serializer):
    required_for_staff = serializers.BooleanField(
        help_text="Every staff role (admin, channel manager, regional lead, finance) must sign in with a "
        "second factor; partner users may opt in, never forced"
    )
    staff = StaffTwoFactorSerializer(many=True, read_only=True)


class TwoFactorPolicyView(TenantViewMixin, generics.GenericAPIView):
    """The tenant's two-factor policy. Staff without a second factor of a tenant that requires it
    are sent to set it up on their next page; session calls to the API answer 403 until they have.
    API token clients are never asked for a code."""

    serializer_class = TwoFactorPolicySerializer
    read_capability = write_capability = Capability.REQUIRE_TWO_FACTOR
    filter_backends = []
    model = None

    def _body(self):
        return TwoFactorPolicySerializer(
            {
                "required_for_staff": staff_must_use_two_factor(self.tenant),
                "staff": staff_two_factor(self.tenant),
            }
        ).data

    def get(self, request, *args, **kwargs):
        return Response(self._body())

    @extend_schema(request=TwoFactorPolicySerializer, responses=TwoFactorPolicySerializer)
    def put(self, request, *args, **kwargs):
        body = TwoFactorPolicySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.policy_set(
            tenant=self.tenant,
            actor=request.user,
            required_for_staff=body.validated_data["required_for_staff"],
        )
        return Response(self._body())

    @extend_schema(request=TwoFactorPolicySerializer, responses=TwoFactorPolicySerializer)
    def patch(self, request, *args, **kwargs):
        return self.put(request, *args, **kwargs)


urlpatterns = [path("two-factor/", TwoFactorPolicyView.as_view(), name="two-factor")]

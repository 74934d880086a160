"""identity-providers/: the tenant admin's single sign-on providers (OIDC, SAML), as on the page."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from prm.api.views import TenantViewSet
from prm.tenancy.capabilities import Capability

from . import services
from .models import IdentityProvider
from .oidc import DiscoveryError, discovery
from .views import public_urls


class IdentityProviderSerializer(serializers.ModelSerializer):
    """``client_secret`` is write-only: never returned, and left empty on PATCH it is kept."""

    email_domains = serializers.ListField(child=serializers.CharField(max_length=253), allow_empty=False)
    client_secret = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)
    role_mapping = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text='{"<group>": "<role>"}: admin, channel_manager, regional_lead, finance; "partner" for a '
        "partner's own provider",
    )
    partner = serializers.IntegerField(source="partner_id", required=False, allow_null=True)
    urls = serializers.SerializerMethodField(help_text="What to give the identity provider")

    class Meta:
        model = IdentityProvider
        fields = [
            "id",
            "name",
            "protocol",
            "is_active",
            "email_domains",
            "discovery_url",
            "client_id",
            "client_secret",
            "scopes",
            "metadata_url",
            "metadata_xml",
            "entity_id",
            "groups_claim",
            "role_mapping",
            "partner",
            "urls",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_urls(self, provider) -> dict:
        request = self.context.get("request")
        return public_urls(provider, request)


class IdentityProviderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """Single sign-on providers: who signs the tenant's people in, for which e-mail domains, and how
    their groups map to roles. Deactivate with PATCH ``{"is_active": false}``."""

    model = IdentityProvider
    serializer_class = IdentityProviderSerializer
    read_capability = write_capability = Capability.MANAGE_SSO
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return IdentityProvider.objects.for_tenant(self.tenant)

    def _service(self, call, **kwargs):
        try:
            return call(actor=self.request.user, **kwargs)
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            ) from None

    def perform_create(self, serializer):
        serializer.instance = self._service(
            services.provider_create, tenant=self.tenant, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = self._service(
            services.provider_update, provider=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "IdentityProviderTest",
            {
                "ok": serializers.BooleanField(),
                "issuer": serializers.CharField(),
                "error": serializers.CharField(),
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def test(self, request, *args, **kwargs):
        """OIDC: fetch the discovery document now and say whether it names an issuer and endpoints."""
        provider = self.get_object()
        if provider.protocol != IdentityProvider.Protocol.OIDC:
            return Response({"detail": _("Only OpenID Connect providers can be tested here.")}, status=400)
        try:
            config = discovery(provider, fresh=True)
        except DiscoveryError as exc:
            return Response({"ok": False, "issuer": "", "error": str(exc)}, status=status.HTTP_200_OK)
        return Response({"ok": True, "issuer": config["issuer"], "error": ""})


router = SimpleRouter()
router.register("identity-providers", IdentityProviderViewSet, basename="identity-provider")
urlpatterns = [*router.urls]

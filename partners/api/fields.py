"""API fields other apps use to name a partner."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.models import Partner


@extend_schema_field(OpenApiTypes.INT)
class TenantPartnerField(serializers.PrimaryKeyRelatedField):
    """A partner of the request's tenant, by id (another tenant's id is "does not exist")."""

    def get_queryset(self):
        tenant = self.context.get("tenant")
        return Partner.objects.for_tenant(tenant) if tenant else Partner.objects.none()

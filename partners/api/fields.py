"""API fields other apps use: a partner, a currency."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.models import Partner
from prm.currency.codes import currency_refusal


@extend_schema_field(OpenApiTypes.INT)
class TenantPartnerField(serializers.PrimaryKeyRelatedField):
    """A partner of the request's tenant, by id (another tenant's id is "does not exist")."""

    def get_queryset(self):
        tenant = self.context.get("tenant")
        return Partner.objects.for_tenant(tenant) if tenant else Partner.objects.none()


class CurrencyField(serializers.RegexField):
    """An ISO 4217 code of a currency (``prm.currency.codes``); lower case is accepted and stored
    upper case."""

    def __init__(self, **kwargs):
        super().__init__(
            r"^[A-Za-z]{3}$", error_messages={"invalid": "Use a three-letter ISO 4217 code."}, **kwargs
        )

    def to_internal_value(self, data):
        code = super().to_internal_value(data).upper()
        if reason := currency_refusal(code):
            raise serializers.ValidationError(reason)
        return code

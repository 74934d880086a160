"""The tenant's exchange-rate table."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action

from incentives import selectors
from incentives.api import serializers as s
from incentives.services import rates
from partners.api.serializers.imports import ImportFileSerializer, ImportResultSerializer
from prm.api.imports import csv_import
from prm.api.views import TenantViewSet
from prm.currency.models import ExchangeRate
from prm.tenancy.capabilities import Capability as C


class ExchangeRateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """The tenant's rate table: 1 unit of ``currency`` in the tenant's currency from ``date``."""

    model = ExchangeRate
    serializer_class = s.RateSerializer
    write_capability = C.MANAGE_RATES
    filterset_fields = ["currency"]

    def base_queryset(self):
        return selectors.rates(tenant=self.tenant)

    action_capabilities = {"import_csv": C.MANAGE_RATES}

    def perform_create(self, serializer):
        serializer.instance = rates.rate_add(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        request={"multipart/form-data": ImportFileSerializer}, responses={200: ImportResultSerializer}
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request, *args, **kwargs):
        """Import rates from a CSV (currency, date, rate): all or nothing, errors by row."""
        return csv_import(
            request, lambda upload: rates.rates_import(tenant=self.tenant, actor=request.user, file=upload)
        )

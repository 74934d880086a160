"""Sales records."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter

from partners import selectors
from partners.api.serializers.imports import ImportFileSerializer, ImportResultSerializer
from partners.api.serializers.sales import SaleListSerializer, SaleSerializer
from partners.filters import SaleFilter
from partners.models import Sale
from partners.selling import sales
from prm.api.filters import QueryFilterBackend
from prm.api.imports import csv_import
from prm.api.pagination import KeysetPagination
from prm.api.views import TenantViewSet
from prm.tenancy.capabilities import Capability as C


@extend_schema_view(list=extend_schema(responses=SaleSerializer(many=True)))  # SaleListSerializer's answer
class SaleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet):
    """Sales records; ``import/`` takes a CSV all-or-nothing. Finance reads, never edits."""

    model = Sale
    serializer_class = SaleSerializer
    filterset_class = SaleFilter
    filter_backends = [QueryFilterBackend, OrderingFilter]  # an unfiltered page binds no filter form
    pagination_class = KeysetPagination
    cursor_ordering = ("-date", "-id")  # the index (tenant, date desc, id desc)
    read_capability = C.READ
    write_capability = C.RECORD_SALES
    partner_scope = "partner"
    ordering_fields = ["date", "amount", "external_id"]
    action_capabilities = {"import_csv": C.RECORD_SALES}

    def base_queryset(self):
        if self.action == "list":  # its rows name the partner by id: no partner is read
            return selectors.sale_list(tenant=self.tenant).select_related(None)
        return selectors.sale_list(tenant=self.tenant)

    def get_serializer_class(self):
        if self.action == "list":  # the same representation, built row by row without DRF's fields
            return SaleListSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        serializer.instance = sales.sale_create(tenant=self.tenant, **serializer.validated_data)

    @extend_schema(
        request={"multipart/form-data": ImportFileSerializer},
        responses={
            200: ImportResultSerializer,
            400: OpenApiResponse(description='{"errors": [{"row", "field", "message"}]}'),
        },
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request, *args, **kwargs):
        """Import sales from a CSV with a header row; every bad row is reported and nothing is written."""
        return csv_import(request, lambda upload: sales.sales_import(tenant=self.tenant, file=upload))

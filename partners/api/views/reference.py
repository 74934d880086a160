"""The tenant's reference lists."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action

from partners.api.serializers.imports import ImportFileSerializer, ImportResultSerializer
from partners.api.serializers.reference import ReferenceItemSerializer
from partners.models import ReferenceItem
from partners.reference import lists as reference
from prm.api.imports import csv_import
from prm.api.views import TenantViewSet
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability as C


class ReferenceItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """The tenant's reference lists (``kind``: region, industry, product, competing_line, referrer):
    partners, sales, deals and product registrations take their values from them (any case, or another
    spelling listed in ``aliases``); a kind without a list keeps free text. Admins keep the lists
    (POST, PATCH, ``import/`` of a CSV or XLSX); every role reads them."""

    model = ReferenceItem
    serializer_class = ReferenceItemSerializer
    read_capability = C.READ
    write_capability = C.EDIT_PROGRAMME
    partner_scope = SHARED_WITH_PARTNERS
    filterset_fields = ["kind", "active"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return ReferenceItem.objects.for_tenant(self.tenant)

    def perform_create(self, serializer):
        serializer.instance = reference.reference_save(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = {
            "kind": serializer.instance.kind,
            "name": serializer.instance.name,
            **serializer.validated_data,
        }
        serializer.instance = reference.reference_save(
            tenant=self.tenant, actor=self.request.user, item=serializer.instance, **data
        )

    @extend_schema(
        request={"multipart/form-data": ImportFileSerializer},
        responses={
            200: ImportResultSerializer,
            400: OpenApiResponse(description='{"errors": [{"row", "field", "message"}]}'),
        },
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request, *args, **kwargs):
        """Import values: ``kind, name[, aliases (a|b), price, warranty_months, service_months]``; all or nothing."""
        return csv_import(
            request,
            lambda upload: reference.reference_import(tenant=self.tenant, actor=request.user, file=upload),
        )

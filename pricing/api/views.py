from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action

from partners.api.serializers.imports import ImportFileSerializer, ImportResultSerializer
from prm.api.imports import csv_import
from prm.api.views import TenantViewSet
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability as C

from ..models import ListPrice
from ..selectors import partner_tier, price_list
from ..services import prices_import
from . import serializers as s


class ListPriceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The price list: per product and currency with validity dates, and each tier's discount band
    and minimum resale price. Staff read every tier's terms; a partner user reads its own tier's only.
    Filters: ``q`` (product name), ``currency``, ``current=true`` (valid today). ``import/`` takes a
    CSV (``product, currency, valid_from, valid_to, list_price, tier, max_discount, minimum_price``):
    all or nothing, errors by row and field; re-importing a file writes nothing twice."""

    model = ListPrice
    serializer_class = s.ListPriceSerializer
    read_capability = C.READ
    write_capability = C.MANAGE_PRICES
    action_capabilities = {"import_csv": C.MANAGE_PRICES}
    partner_scope = SHARED_WITH_PARTNERS

    def base_queryset(self):
        params = self.request.query_params
        tier = partner_tier(self.tenant, self.access.partner_id) if self.access.is_partner else None
        currency = params.get("currency", "")
        return price_list(
            self.tenant,
            tier=tier,
            product=params.get("q", "")[:200],
            currency=currency if len(currency) == 3 and currency.isascii() and currency.isalpha() else "",
            current=params.get("current") in ("true", "1"),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Part of the product's name."),
            OpenApiParameter("currency", str, description="A three-letter currency code."),
            OpenApiParameter("current", bool, description="Only prices valid today."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": ImportFileSerializer},
        responses={200: ImportResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request, *args, **kwargs):
        """Import the price list from a CSV: all or nothing, errors by row and field."""
        return csv_import(
            request, lambda upload: prices_import(tenant=self.tenant, actor=request.user, file=upload)
        )

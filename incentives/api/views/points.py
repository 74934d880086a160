"""The points ledger."""

from rest_framework import mixins

from incentives import selectors
from incentives.api import serializers as s
from incentives.models import PointsEntry
from prm.api.views import TenantViewSet
from prm.tenancy.capabilities import Capability as C


class PointsViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Points ledger (non-monetary rewards); partners see their own."""

    model = PointsEntry
    serializer_class = s.PointsSerializer
    read_capability = C.READ
    partner_scope = "partner"
    filterset_fields = ["partner", "run"]

    def base_queryset(self):
        return selectors.visible_to(selectors.points_list(tenant=self.tenant), self.access)

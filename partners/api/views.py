from rest_framework import mixins

from partners.models import Partner
from partners.selectors import partner_list
from prm.api.views import TenantViewSet
from prm.tenancy.choices import ALL_ROLES

from .serializers import PartnerSerializer


class PartnerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Partners of the tenant; a partner user sees only its own."""

    model = Partner
    serializer_class = PartnerSerializer
    read_roles = ALL_ROLES
    partner_scope = "id"
    ordering_fields = ["name", "created_at"]

    def base_queryset(self):
        return partner_list(tenant=self.tenant)

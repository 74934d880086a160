from rest_framework import generics, mixins, status
from rest_framework.response import Response

from prm.api.views import TenantViewMixin, TenantViewSet
from prm.tenancy import services
from prm.tenancy.access import partner_directory
from prm.tenancy.capabilities import Capability
from prm.tenancy.models import Membership
from prm.tenancy.selectors import memberships_of, tenant_members

from .serializers import MemberSerializer, MeSerializer, TenantListSerializer


class TenantListView(generics.ListAPIView):
    """The caller's tenants, each with the caller's role in it."""

    serializer_class = TenantListSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        self.memberships = list(memberships_of(self.request.user))
        return [m.tenant for m in self.memberships]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["roles"] = {m.tenant_id: m.role for m in getattr(self, "memberships", [])}
        return context


class MeView(TenantViewMixin, generics.GenericAPIView):
    """The caller in this tenant: user, role, and partner (id) for partner users."""

    serializer_class = MeSerializer
    read_capability = Capability.READ
    partner_scope = "id"
    filter_backends = []

    def get(self, request, *args, **kwargs):
        access = request.tenant_access
        data = {
            "user": request.user,
            "tenant": access.tenant,
            "role": access.role,
            "partner": access.partner_id,
        }
        return Response(MeSerializer(data).data)


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet):
    """Members of the tenant (admins only)."""

    model = Membership
    serializer_class = MemberSerializer
    read_capability = write_capability = Capability.MANAGE_MEMBERS
    filterset_fields = ["role"]
    ordering_fields = ["created_at", "role"]

    def base_queryset(self):
        return tenant_members(tenant=self.tenant, q=self.request.query_params.get("q", ""))

    def scoped(self, queryset):
        # Memberships are core rows (not TenantOwned) but scoped the same way.
        return queryset.filter(tenant=self.tenant)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._shown = [m.pk for m in (page if page is not None else queryset)]
        return page

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self.request, "tenant", None) is not None:
            # the partner links of the members this answer shows, not of the whole tenant
            shown = getattr(self, "_shown", None)
            if shown is None and str(self.kwargs.get("pk", "")).isdigit():
                shown = [int(self.kwargs["pk"])]
            context["partner_ids"] = partner_directory().partner_ids_by_membership(self.tenant, shown)
        return context

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership = services.member_add(
            tenant=self.tenant,
            actor=request.user,
            username=data["user"]["username"],
            email=data["user"]["email"],
            role=data["role"],
            partner_id=data.get("partner"),
            password=data.get("password") or None,
        )
        body = self.get_serializer(membership).data
        return Response(body, status=status.HTTP_201_CREATED)

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from prm.api.views import TenantViewMixin, TenantViewSet
from prm.tenancy.access import partner_directory
from prm.tenancy.capabilities import Capability
from prm.tenancy.invitations import invitation_create, invitation_resend, invitation_revoke
from prm.tenancy.models import Invitation, InvitationStatus, Membership
from prm.tenancy.selectors import memberships_of, tenant_members

from .serializers import (
    InvitationCreateSerializer,
    InvitationSentSerializer,
    InvitationSerializer,
    MemberInviteSerializer,
    MemberSerializer,
    MeSerializer,
    TenantListSerializer,
)


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

    def get_serializer_class(self):
        return MemberInviteSerializer if self.action == "create" else MemberSerializer

    @extend_schema(
        request=MemberInviteSerializer,
        responses={201: InvitationSentSerializer},
        description=(
            "Invites a person by e-mail, as `POST invitations/` does: the answer is the same whatever "
            "accounts exist, and the person becomes a member only when they accept the e-mailed link. "
            "`username` is ignored; a non-empty `password` is refused (400)."
        ),
    )
    def create(self, request, *args, **kwargs):
        return invite(self, request, MemberInviteSerializer)


def invite(view, request, serializer_class=InvitationCreateSerializer):
    """Create an invitation from ``InvitationCreateSerializer``'s fields: 201 with ``InvitationSentSerializer``."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    invitation = invitation_create(
        tenant=view.tenant,
        actor=request.user,
        email=data["email"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        role=data["role"],
        partner_id=data["partner"],
        partner_admin=data["partner_admin"],
    )
    return Response(InvitationSentSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """Invitations to the tenant (admins only): ``?status=pending|accepted|declined|revoked|expired``;
    POST invites by e-mail; ``{id}/resend/`` mails a new link (the old one stops working);
    ``{id}/revoke/`` withdraws it."""

    model = Invitation
    serializer_class = InvitationSerializer
    read_capability = write_capability = Capability.MANAGE_MEMBERS
    filterset_fields = ["role", "email"]
    ordering_fields = ["created_at", "expires_at"]

    def base_queryset(self):
        queryset = Invitation.objects.for_tenant(self.tenant).select_related("invited_by")
        wanted = self.request.query_params.get("status", "")
        now = timezone.now()
        open_ = {"accepted_at__isnull": True, "declined_at__isnull": True, "revoked_at__isnull": True}
        by_status = {
            InvitationStatus.PENDING: Q(**open_, expires_at__gt=now),
            InvitationStatus.EXPIRED: Q(**open_, expires_at__lte=now),
            InvitationStatus.ACCEPTED: Q(accepted_at__isnull=False),
            InvitationStatus.DECLINED: Q(declined_at__isnull=False),
            InvitationStatus.REVOKED: Q(
                revoked_at__isnull=False, accepted_at__isnull=True, declined_at__isnull=True
            ),
        }
        if wanted in by_status:
            queryset = queryset.filter(by_status[wanted])
        return queryset

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=InvitationStatus.values)],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSentSerializer})
    def create(self, request, *args, **kwargs):
        return invite(self, request)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def resend(self, request, *args, **kwargs):
        invitation = invitation_resend(invitation=self.get_object(), actor=request.user)
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, *args, **kwargs):
        invitation = invitation_revoke(invitation=self.get_object(), actor=request.user)
        return Response(InvitationSerializer(invitation).data)

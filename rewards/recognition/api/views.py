from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from prm.api.views import TenantViewSet
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability as C

from .. import selectors, services
from ..defaults import ensure_award_categories
from ..models import Award, AwardCategory
from . import serializers as s


class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet):
    """Awards per period and category, granted by managers with a citation to a partner and, when
    ``person`` is set, to one of its users. Granting announces the award (``award.granted``, an e-mail
    to the partner's people); ``revoke/`` takes it back with a reason. A partner user sees its own
    partner's awards; ``revoked=false`` lists the standing ones."""

    model = Award
    serializer_class = s.AwardSerializer
    read_capability = C.READ
    write_capability = C.GRANT_AWARDS
    action_capabilities = {"revoke": C.GRANT_AWARDS}
    partner_scope = "partner"
    filterset_fields = {
        "partner": ["exact"],
        "category": ["exact"],
        "period": ["exact"],
        "revoked_at": ["isnull"],
    }

    def base_queryset(self):
        return selectors.award_list(tenant=self.tenant)

    def perform_create(self, serializer):
        serializer.instance = services.award_grant(
            tenant=self.tenant, actor=self.request.user, **dict(serializer.validated_data)
        )

    @extend_schema(request=s.AwardRevokeSerializer, responses=s.AwardSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, *args, **kwargs):
        """Revoke the award, with a reason (audited)."""
        award = self.get_object()  # another's award is 404 before the body is read
        body = s.AwardRevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        award = services.award_revoke(award=award, actor=request.user, reason=body.validated_data["reason"])
        return Response(s.AwardSerializer(award, context=self.get_serializer_context()).data)


class AwardCategoryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """The tenant's award categories (it starts with partner of the year, best newcomer and service
    excellence); an unused one is switched off with ``active: false``."""

    model = AwardCategory
    serializer_class = s.AwardCategorySerializer
    read_capability = C.READ
    write_capability = C.GRANT_AWARDS
    partner_scope = SHARED_WITH_PARTNERS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        ensure_award_categories(self.tenant)
        return selectors.category_list(tenant=self.tenant)

    def perform_create(self, serializer):
        serializer.instance = services.category_save(
            tenant=self.tenant, actor=self.request.user, **dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = services.category_save(
            tenant=self.tenant,
            actor=self.request.user,
            category=serializer.instance,
            **dict(serializer.validated_data),
        )

"""Tiers: the recompute job, and what each tier gives."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action

from partners.api.serializers.tiers import TierBenefitSerializer
from partners.models import Partner, TierBenefit
from partners.tasks import recompute_tiers
from partners.tiering.benefits import benefit_delete, benefit_list, benefit_save
from prm.api.views import TenantViewSet
from prm.jobs.api.serializers import JobSerializer
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability as C


class TierViewSet(TenantViewSet):
    """Tier recomputation as a background job."""

    model = Partner
    write_capability = C.RECOMPUTE_TIERS
    serializer_class = JobSerializer

    def base_queryset(self):
        return Partner.objects.none()

    @extend_schema(request=None, responses={202: JobSerializer})
    @action(detail=False, methods=["post"])
    def recompute(self, request, *args, **kwargs):
        """Recompute every partner's tier (202 with the job to follow)."""
        return self.job_accepted(kind="recompute_tiers", task=recompute_tiers)


class TierBenefitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantViewSet,
):
    """What each tier gives (``kind``: margin_points, mdf_share, support, lead_priority, marketing,
    event_seats, training_seats, other), with the ``description`` partners read and the ``value``
    other rules use: a commission rule's ``rate_benefit`` reads margin points, an MDF rule's
    ``budget_share_benefit`` the MDF share (a tier without it may not request MDF once any tier
    has one), lead rules the lead priority. Each says how it is kept (``kept``, ``automatic``,
    ``applied_by``, ``contradicted_by``, ``kept_note``). A benefit that a current rule contradicts
    (the tier's MDF rule pays another share) is refused with 400 naming the rule. Every role reads
    them; admins change them."""

    model = TierBenefit
    serializer_class = TierBenefitSerializer
    read_capability = C.READ
    write_capability = C.EDIT_PROGRAMME
    partner_scope = SHARED_WITH_PARTNERS
    filterset_fields = ["tier", "kind"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def base_queryset(self):
        return benefit_list(tenant=self.tenant)

    def perform_create(self, serializer):
        serializer.instance = benefit_save(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = benefit_save(
            tenant=self.tenant,
            actor=self.request.user,
            benefit=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        benefit_delete(benefit=instance, actor=self.request.user)

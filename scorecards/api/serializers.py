from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.models import Partner
from scorecards.models import Kpi, ProductRegistration, SatisfactionResult, Scorecard, ScorecardLine, Target
from scorecards.periods import parse_period
from scorecards.selectors import kpi_list


class PeriodField(serializers.CharField):
    """``2026-07`` or ``2026-Q3``, normalised."""

    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        try:
            return parse_period(super().to_internal_value(data)).code
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["period"]) from exc


@extend_schema_field(OpenApiTypes.INT)
class TenantPartnerField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        tenant = self.context.get("tenant")
        return Partner.objects.for_tenant(tenant) if tenant else Partner.objects.none()


class KpiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kpi
        fields = [
            "id",
            "code",
            "name",
            "source",
            "direction",
            "weight",
            "dimension",
            "default_target",
            "active",
            "position",
        ]


class TargetSerializer(serializers.ModelSerializer):
    partner = TenantPartnerField()
    period = PeriodField()
    kpi = serializers.SlugRelatedField(slug_field="code", queryset=Kpi.objects.none())

    class Meta:
        model = Target
        fields = ["id", "partner", "period", "kpi", "value", "acknowledged_at", "created_at"]
        read_only_fields = ["acknowledged_at", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        tenant = self.context.get("tenant")
        fields["kpi"].queryset = kpi_list(tenant=tenant) if tenant else Kpi.objects.none()
        return fields


class ScorecardLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScorecardLine
        fields = [
            "code",
            "name",
            "dimension",
            "direction",
            "target",
            "actual",
            "attainment",
            "weight",
            "points",
        ]


class ScorecardSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    change = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = Scorecard
        extra_kwargs = {"tier": {"allow_blank": True}}  # "" for a partner without a tier yet
        fields = [
            "id", "partner", "partner_name", "period", "score", "tier", "region", "rank", "cohort_size",
            "previous_score", "change", "dimensions", "computed_at",
        ]  # fmt: skip


class ScorecardDetailSerializer(ScorecardSerializer):
    kpis = ScorecardLineSerializer(source="lines", many=True, read_only=True)

    class Meta(ScorecardSerializer.Meta):
        fields = [*ScorecardSerializer.Meta.fields, "kpis"]


class PeriodSerializer(serializers.Serializer):
    period = PeriodField()


class ProductRegistrationSerializer(serializers.ModelSerializer):
    partner = TenantPartnerField(required=False)

    class Meta:
        model = ProductRegistration
        fields = ["id", "partner", "customer", "product", "serial", "date", "created_at"]
        read_only_fields = ["created_at"]


class SatisfactionSerializer(serializers.ModelSerializer):
    partner = TenantPartnerField()
    group = serializers.CharField(read_only=True)

    class Meta:
        model = SatisfactionResult
        fields = ["id", "partner", "date", "score", "group", "respondent", "comment"]

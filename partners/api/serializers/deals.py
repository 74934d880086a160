"""Deal registrations and what is done to them: decide, close, withdraw, extend."""

from rest_framework import serializers

from partners.api.fields import CurrencyField
from partners.models import DealRegistration, Partner


class DealSerializer(serializers.ModelSerializer):
    conflicts = serializers.SerializerMethodField()
    customer_contact = serializers.CharField(
        write_only=True, required=False, allow_blank=True, help_text="The customer's e-mail or website"
    )
    currency = CurrencyField(required=False)
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.none(), required=False)

    class Meta:
        model = DealRegistration
        fields = [
            "id",
            "partner",
            "customer",
            "customer_contact",
            "customer_domain",
            "product",
            "expected_amount",
            "currency",
            "status",
            "self_sourced",
            "registered_at",
            "expires_at",
            "decision_reason",
            "closed_at",
            "closed_amount",
            "closed_note",
            "conflicts",
        ]
        read_only_fields = [
            "customer_domain",
            "status",
            "registered_at",
            "expires_at",
            "decision_reason",
            "closed_at",
            "closed_amount",
            "closed_note",
        ]

    def get_fields(self):
        fields = super().get_fields()
        tenant = self.context.get("tenant")
        fields["partner"].queryset = Partner.objects.for_tenant(tenant) if tenant else Partner.objects.none()
        return fields

    def get_conflicts(self, deal) -> list[int]:
        return self.context.get("conflicts", {}).get(deal.pk, [])


class DealCloseSerializer(serializers.Serializer):
    won = serializers.BooleanField(help_text="true: won; false: lost")
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="What the won deal was worth (default: its expected amount)",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DealWithdrawalSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class DealDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DealExtensionSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=365)
    reason = serializers.CharField()

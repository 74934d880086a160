from rest_framework import serializers

from partners.api.fields import CurrencyField

from ..models import Lead, LeadOffer, LeadRule


class LeadOfferSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeadOffer
        fields = ["partner", "offered_at", "respond_by", "outcome", "answered_at", "reason"]


class LeadSerializer(serializers.ModelSerializer):
    """A customer lead: ``status`` new, offered, accepted, declined, expired or converted; ``partner``
    the one it is offered to or accepted by; ``offers`` its history (a partner user sees its own)."""

    currency = CurrencyField(required=False)
    offers = serializers.SerializerMethodField()

    class Meta:
        model = Lead
        fields = [
            "id",
            "external_id",
            "customer",
            "contact_name",
            "contact_email",
            "contact_phone",
            "region",
            "industry",
            "product",
            "description",
            "expected_amount",
            "currency",
            "language",
            "source",
            "status",
            "partner",
            "rule",
            "offered_at",
            "respond_by",
            "deal",
            "created_at",
            "offers",
        ]
        read_only_fields = [
            "source",
            "status",
            "partner",
            "rule",
            "offered_at",
            "respond_by",
            "deal",
            "created_at",
        ]

    def get_offers(self, lead) -> list[dict]:
        offers = list(lead.offers.all())
        partner_id = self.context.get("partner_id")
        if partner_id is not None:  # a partner does not see who else was offered the lead
            offers = [o for o in offers if o.partner_id == partner_id]
        return LeadOfferSerializer(offers, many=True).data


class LeadDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField()


class LeadRuleSerializer(serializers.ModelSerializer):
    regions = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    industries = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    tier_weights = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        help_text='Weight per tier, e.g. {"A": 4, "B": 3, "C": 2, "D": 1}; 0 leaves a tier out.',
    )

    class Meta:
        model = LeadRule
        fields = [
            "id",
            "name",
            "position",
            "regions",
            "industries",
            "match_region",
            "match_industry",
            "tier_weights",
            "max_open",
            "respond_within_hours",
            "active",
        ]

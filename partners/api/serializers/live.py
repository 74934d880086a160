"""A partner's live figures (``partners.live``) as the API gives them: ``partners/{id}/figures/``."""

from rest_framework import serializers


class TierInputsSerializer(serializers.Serializer):
    """What the tier window measures of the partner (absent: nothing measured)."""

    revenue = serializers.FloatField(
        required=False, help_text="revenue in the window, in the tenant's currency"
    )
    registrations = serializers.IntegerField(required=False)
    won = serializers.IntegerField(required=False)
    lost = serializers.IntegerField(required=False)
    self_sourced = serializers.IntegerField(required=False)
    visits = serializers.IntegerField(required=False)
    visits_goal_met = serializers.IntegerField(required=False)
    foreign = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="revenue in other currencies and what it converted to",
    )


class LiveFiguresSerializer(serializers.Serializer):
    updated_at = serializers.DateTimeField(
        source="figures_at",
        allow_null=True,
        help_text="null until a recompute or a refresh measured the partner",
    )
    tier_inputs = TierInputsSerializer()
    tier = serializers.CharField(
        allow_null=True, help_text="the tier in force (placed by the last recompute)"
    )
    tier_computed_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, partner):
        data = super().to_representation(partner)
        data["tier"] = partner.tier or None
        return data

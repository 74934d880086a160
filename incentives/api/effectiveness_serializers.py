"""The effectiveness report's shape in the API (``incentives.effectiveness``)."""

from rest_framework import serializers

from incentives.effectiveness import CELL, CHANNEL, TIER

MONEY = {"max_digits": 16, "decimal_places": 2}
RATIO = {"max_digits": 12, "decimal_places": 4, "allow_null": True}


class EffectGroupSerializer(serializers.Serializer):
    partners = serializers.IntegerField()
    revenue = serializers.DecimalField(**MONEY, help_text="Their revenue in the period")
    baseline = serializers.DecimalField(**MONEY, help_text="Their mean revenue in the baseline periods")
    growth = serializers.DecimalField(
        **RATIO, help_text="(revenue - baseline) / baseline; null without a baseline"
    )


class RuleEffectSerializer(serializers.Serializer):
    rule = serializers.IntegerField(source="rule_id", help_text="The rule's current version")
    rule_key = serializers.UUIDField(help_text="The rule across its versions")
    rule_name = serializers.CharField()
    kind = serializers.CharField()
    paid = serializers.DecimalField(**MONEY, help_text="Lines whose payment finance recorded")
    accrued = serializers.DecimalField(**MONEY, help_text="Lines not paid yet (a draft run's too)")
    cost = serializers.DecimalField(**MONEY)
    reached = EffectGroupSerializer(help_text="The partners the rule has a line for")
    comparable = EffectGroupSerializer(
        help_text="Partners the programme pays, not reached, of a reached partner's tier and region (see comparison)"
    )
    comparison = serializers.ChoiceField(
        choices=[CELL, TIER, CHANNEL],
        help_text="Whom the comparable group holds: the same tier and region; where those had no baseline, "
        "the same tier in every region; where those had none either, the whole paid channel",
    )
    difference = serializers.DecimalField(**RATIO, help_text="Reached growth less comparable growth")
    incremental = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="Revenue above the baseline grown at the comparable rate"
    )
    return_per_unit = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="Incremental revenue per unit of cost"
    )
    activities = serializers.IntegerField(allow_null=True, help_text="MDF: claims not rejected")
    claimed = serializers.DecimalField(**MONEY, allow_null=True, help_text="MDF: what those claims claim")
    deals = serializers.IntegerField(allow_null=True, help_text="MDF: deals registered after the claims")
    won_deals = serializers.IntegerField(allow_null=True, help_text="MDF: of those, won")
    leads = serializers.IntegerField(allow_null=True, help_text="MDF: leads received after the claims")


class EffectUnconvertedSerializer(serializers.Serializer):
    currency = serializers.CharField()
    sales = serializers.IntegerField()
    first = serializers.DateField(source="from", help_text="The first date of them")


class EffectivenessSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.code")
    baseline_periods = serializers.SerializerMethodField()
    currency = serializers.CharField()
    rules = RuleEffectSerializer(many=True)
    unconverted = EffectUnconvertedSerializer(
        many=True, help_text="Sales left out: no exchange rate converts them"
    )
    method = serializers.ListField(child=serializers.CharField(), help_text="How it is computed, in words")

    def get_baseline_periods(self, report) -> list[str]:
        return [p.code for p in report.baseline_periods]

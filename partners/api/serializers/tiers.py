"""Tiers: the override of a computed tier, and what each tier gives (its benefits)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.choices import Tier
from partners.models import TierBenefit
from partners.tiering.benefit_keeping import keeping_of, rule_uses


class TierOverrideSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class BenefitRuleSerializer(serializers.Serializer):
    rule = serializers.IntegerField(help_text="The rule's id (of its current version)")
    name = serializers.CharField()
    version = serializers.IntegerField(
        allow_null=True, help_text="Null for lead rules (they have no versions)"
    )
    type = serializers.ChoiceField(choices=["incentive_rule", "lead_rule"])


class TierBenefitSerializer(serializers.ModelSerializer):
    """A benefit and how it is kept: ``applied`` by a rule that reads its number (``applied_by``),
    ``not_automatic`` (no rule can or does: the channel manager arranges it), or ``contradicted`` by
    a rule that gives the tier something else (``contradicted_by``); ``kept_note`` says it in words."""

    kept = serializers.SerializerMethodField(help_text="applied, not_automatic or contradicted")
    automatic = serializers.SerializerMethodField(help_text="A current rule applies it")
    applied_by = serializers.SerializerMethodField(
        help_text="The rule that applies it; null unless applied, and for partner users (rules are the vendor's)"
    )
    contradicted_by = serializers.SerializerMethodField(
        help_text="The rule that gives the tier something else; null unless contradicted, and for partner users"
    )
    kept_note = serializers.SerializerMethodField(help_text="How it is kept, in words for the reader")

    class Meta:
        model = TierBenefit
        fields = [
            "id",
            "tier",
            "kind",
            "value",
            "description",
            "position",
            "kept",
            "automatic",
            "applied_by",
            "contradicted_by",
            "kept_note",
        ]
        validators = []  # one of a kind per tier: the service names the field

    def _kept(self, benefit):

        if "benefit_uses" not in self.context:  # the rules are read once per answer
            self.context["benefit_uses"] = rule_uses(self.context["tenant"])
        return keeping_of(benefit, self.context["benefit_uses"])

    @extend_schema_field(serializers.ChoiceField(choices=["applied", "not_automatic", "contradicted"]))
    def get_kept(self, benefit) -> str:
        return self._kept(benefit).status

    def get_automatic(self, benefit) -> bool:
        return self._kept(benefit).automatic

    @extend_schema_field(BenefitRuleSerializer(allow_null=True))
    def get_applied_by(self, benefit):
        return None if self._for_partner else self._kept(benefit).applied_by

    @extend_schema_field(BenefitRuleSerializer(allow_null=True))
    def get_contradicted_by(self, benefit):
        return None if self._for_partner else self._kept(benefit).contradicted_by

    def get_kept_note(self, benefit) -> str:
        return self._kept(benefit).words(for_partner=self._for_partner)

    @property
    def _for_partner(self) -> bool:
        access = self.context.get("access")
        return bool(access and access.is_partner)

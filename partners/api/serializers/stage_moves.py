"""Moving a partner on: a stage transition, the approval for signing, the referral relationship,
and the history of those moves."""

from rest_framework import serializers

from partners.choices import ReferralLevel, Stage


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RelationshipSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=ReferralLevel.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ApprovalSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ApprovalRequestedSerializer(serializers.Serializer):
    told = serializers.IntegerField(
        help_text="How many regional leads were e-mailed (their preferences decide)."
    )


class HistoryEventSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["stage", "tier", "relationship"])
    id = serializers.IntegerField(help_text="The stage or tier change's id")
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True)
    to = serializers.CharField(allow_blank=True)
    why = serializers.CharField(allow_blank=True)
    override = serializers.BooleanField()
    axes = serializers.JSONField(allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["from"] = instance["from"]
        return data

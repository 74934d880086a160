from rest_framework import serializers

from ..choices import RewardKind
from ..models import RewardPreference


class RewardPreferenceSerializer(serializers.ModelSerializer):
    """A partner's preferred kinds of reward, most preferred first (``money``, ``points``,
    ``training``, ``marketing``); stated by its partner admin."""

    kinds = serializers.ListField(child=serializers.ChoiceField(choices=RewardKind.choices))

    class Meta:
        model = RewardPreference
        fields = ["id", "partner", "kinds", "changed_at", "changed_by"]
        read_only_fields = ["partner", "changed_at", "changed_by"]


class RewardPreferenceStateSerializer(serializers.Serializer):
    """What the partner admin sends: its kinds of reward in order (an empty list withdraws them)."""

    kinds = serializers.ListField(child=serializers.ChoiceField(choices=RewardKind.choices), allow_empty=True)

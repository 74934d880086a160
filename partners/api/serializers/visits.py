"""Visits with their objections, and the objection playbook."""

from rest_framework import serializers

from partners.choices import ObjectionType
from partners.models import Visit


class PlaybookEntrySerializer(serializers.Serializer):
    type = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    response = serializers.CharField(help_text="The recommended line of response")
    is_default = serializers.BooleanField(
        read_only=True, help_text="The playbook's default (the tenant wrote none)"
    )


class ObjectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ObjectionType.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VisitSerializer(serializers.ModelSerializer):
    objections = ObjectionSerializer(many=True, required=False)
    logged_by = serializers.CharField(source="logged_by.username", read_only=True, default=None)

    class Meta:
        model = Visit
        fields = [
            "id",
            "partner",
            "date",
            "kind",
            "summary",
            "goal_met",
            "objections",
            "next_step",
            "make_target",
            "logged_by",
            "created_at",
        ]
        read_only_fields = ["partner", "created_at"]

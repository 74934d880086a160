"""Visits with their objections, and the objection playbook."""

from rest_framework import serializers

from partners.api.serializers.visit_script import (
    STEP_CHOICES,
    ConcernsSerializer,
    PlanField,
    ScriptSerializer,
)
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
    step = serializers.ChoiceField(
        choices=STEP_CHOICES, required=False, default="", help_text="The step of the script it was raised at"
    )


class VisitSerializer(serializers.ModelSerializer):
    objections = ObjectionSerializer(many=True, required=False)
    logged_by = serializers.CharField(source="logged_by.username", read_only=True, default=None)
    script = ScriptSerializer(required=False, help_text="The playbook's script: each step done, with a note")
    concerns = ConcernsSerializer(required=False)
    stopped_at = serializers.ChoiceField(
        choices=STEP_CHOICES, required=False, default="", help_text="A missed goal: the step where it stopped"
    )
    plan = PlanField(help_text="The visit plan it carries out (a plan is carried out once)")

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
            "script",
            "concerns",
            "stopped_at",
            "missed_why",
            "agreed_points",
            "plan",
            "logged_by",
            "created_at",
        ]
        read_only_fields = ["partner", "created_at"]

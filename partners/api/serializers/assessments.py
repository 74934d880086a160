"""Assessments: ratings per criterion."""

from rest_framework import serializers

from partners.models import Assessment


class AssessmentSerializer(serializers.ModelSerializer):
    assessed_by = serializers.CharField(source="assessed_by.username", read_only=True, default=None)
    average = serializers.FloatField(read_only=True, allow_null=True)
    ratings = serializers.JSONField(
        help_text='{"criterion": {"score": 1-5, "note": "..."}} or {"criterion": 4}'
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "partner",
            "kind",
            "date",
            "ratings",
            "average",
            "needs",
            "note",
            "assessed_by",
            "created_at",
        ]
        read_only_fields = ["partner", "created_at"]

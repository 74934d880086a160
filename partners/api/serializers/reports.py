"""The team's activity report."""

from rest_framework import serializers


class ActivityRowSerializer(serializers.Serializer):
    key = serializers.JSONField(help_text="The owner's user id, or the region")
    name = serializers.CharField()
    new_candidates = serializers.IntegerField()
    new_per_week = serializers.FloatField()
    visits = serializers.IntegerField()
    goal_met = serializers.IntegerField()
    goal_met_rate = serializers.FloatField(allow_null=True)
    stages = serializers.ListField(
        child=serializers.DictField(), help_text="[{stage, moved_on, dropped, rate, median_days, time_box}]"
    )
    tiers = serializers.DictField(child=serializers.IntegerField())
    partners = serializers.IntegerField()
    overdue = serializers.IntegerField()


class ActivityReportSerializer(serializers.Serializer):
    period = serializers.CharField()
    weeks = serializers.FloatField()
    cadence_per_week = serializers.IntegerField()
    owners = ActivityRowSerializer(many=True)
    regions = ActivityRowSerializer(many=True)

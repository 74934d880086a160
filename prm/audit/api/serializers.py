from rest_framework import serializers

from prm.audit.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True, allow_null=True)
    action_label = serializers.CharField(read_only=True, help_text="The action in the caller's language")

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor",
            "action",
            "action_label",
            "target_type",
            "target_id",
            "target_repr",
            "changes",
            "reason",
        ]

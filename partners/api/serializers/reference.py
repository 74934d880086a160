"""The tenant's reference lists."""

from rest_framework import serializers

from partners.models import ReferenceItem


class ReferenceItemSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        help_text="Other spellings that mean this value (they become its name)",
    )

    class Meta:
        model = ReferenceItem
        fields = ["id", "kind", "name", "aliases", "price", "warranty_months", "service_months", "active"]
        validators = []  # one name per list: the service names the field

from rest_framework import serializers

from partners.models import Partner


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "region", "country", "website", "created_at"]
        read_only_fields = ["id", "created_at"]

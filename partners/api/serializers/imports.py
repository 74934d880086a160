"""File imports: the uploaded file and what the import did."""

from rest_framework import serializers


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class DuplicateRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()
    partner = serializers.IntegerField(help_text="The existing partner the row matched")


class PartnerImportResultSerializer(ImportResultSerializer):
    duplicates = DuplicateRowSerializer(many=True)


class ImportFileSerializer(serializers.Serializer):
    file = serializers.FileField()

from rest_framework import serializers

from partners.models import Partner, PartnerUser

from ..models import Award, AwardCategory
from ..people import person_name


class AwardCategorySerializer(serializers.ModelSerializer):
    """One of the tenant's award categories (partner of the year, best newcomer…)."""

    class Meta:
        model = AwardCategory
        fields = ["id", "name", "description", "position", "active"]


class AwardSerializer(serializers.ModelSerializer):
    """An award: ``category`` for ``period`` (``2026``, ``2026-Q3``, ``2026-07``) to ``partner`` and,
    when ``person`` is set, to one of its partner users (the partner-user link's id); ``citation``
    says why. ``revoked_at``/``revoke_reason`` are set once revoked."""

    category_name = serializers.CharField(source="category.name", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    person_name = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = [
            "id",
            "category",
            "category_name",
            "period",
            "partner",
            "partner_name",
            "person",
            "person_name",
            "citation",
            "granted_at",
            "granted_by",
            "revoked_at",
            "revoked_by",
            "revoke_reason",
        ]
        read_only_fields = ["granted_at", "granted_by", "revoked_at", "revoked_by", "revoke_reason"]

    def get_person_name(self, award) -> str:
        return person_name(award.person)

    def get_fields(self):
        """Choices from the caller's tenant only (none without one, e.g. for the schema)."""
        fields = super().get_fields()
        tenant = self.context.get("tenant")
        for name, model in (("category", AwardCategory), ("partner", Partner), ("person", PartnerUser)):
            fields[name].queryset = model.objects.for_tenant(tenant) if tenant else model.objects.none()
        return fields


class AwardRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField()

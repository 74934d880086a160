from django.contrib.auth import get_user_model
from rest_framework import serializers

from prm.tenancy.choices import Role
from prm.tenancy.models import Membership, Tenant


class TenantListSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Tenant
        fields = ["slug", "name", "role", "currency"]

    def get_role(self, tenant) -> str:
        return self.context["roles"][tenant.pk]


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username", "email", "first_name", "last_name"]


class TenantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tenant
        fields = ["slug", "name", "currency", "default_language"]


class MeSerializer(serializers.Serializer):
    user = UserSerializer()
    tenant = TenantSerializer()
    role = serializers.ChoiceField(choices=Role.choices)
    partner = serializers.IntegerField(allow_null=True)


class MemberSerializer(serializers.ModelSerializer):
    """A member; POST creates the account if needed and invites it when no password is given."""

    username = serializers.CharField(source="user.username", max_length=150)
    email = serializers.EmailField(source="user.email")
    role = serializers.ChoiceField(choices=Role.choices)
    partner = serializers.IntegerField(required=False, allow_null=True, default=None)
    password = serializers.CharField(
        write_only=True, required=False, allow_blank=True, style={"input_type": "password"}
    )

    class Meta:
        model = Membership
        fields = ["id", "username", "email", "role", "partner", "password", "is_active", "created_at"]
        read_only_fields = ["id", "is_active", "created_at"]

    def to_representation(self, membership):
        data = super().to_representation(membership)
        data["partner"] = self.context.get("partner_ids", {}).get(membership.pk)
        return data

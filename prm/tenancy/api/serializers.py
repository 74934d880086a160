from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from rest_framework import serializers

from prm.tenancy.choices import Role
from prm.tenancy.models import Invitation, Membership, Tenant


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
    """A member of the tenant (read; ``POST members/`` sends an invitation, see ``MemberInviteSerializer``)."""

    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    partner = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "email", "role", "partner", "is_active", "created_at"]
        read_only_fields = ["id", "is_active", "created_at"]

    def to_representation(self, membership):
        data = super().to_representation(membership)
        data["partner"] = self.context.get("partner_ids", {}).get(membership.pk)
        return data


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation: to whom, in which role (and partner), by whom, and what became of it."""

    status = serializers.CharField(
        read_only=True, help_text="pending, accepted, declined, revoked or expired (pending past its expiry)"
    )
    partner = serializers.IntegerField(source="partner_id", read_only=True, allow_null=True)
    invited_by = serializers.CharField(source="invited_by.username", read_only=True, default=None)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "partner",
            "partner_admin",
            "status",
            "invited_by",
            "created_at",
            "sent_at",
            "expires_at",
            "accepted_at",
            "declined_at",
            "revoked_at",
        ]
        read_only_fields = fields


class InvitationSentSerializer(InvitationSerializer):
    """What an invite answers, whatever accounts exist anywhere: the invitation and
    ``detail`` "Invitation sent to <e-mail>"."""

    detail = serializers.SerializerMethodField()

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "detail"]
        read_only_fields = fields

    def get_detail(self, invitation) -> str:
        return _("Invitation sent to %(email)s.") % {"email": invitation.email}


class InvitationCreateSerializer(serializers.Serializer):
    """Invite a person by e-mail (``partner`` for partner users, ``partner_admin`` to make them its admin)."""

    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=Role.choices)
    partner = serializers.IntegerField(required=False, allow_null=True, default=None)
    partner_admin = serializers.BooleanField(required=False, default=False)


class MemberInviteSerializer(InvitationCreateSerializer):
    """``POST members/``: an invitation, as ``POST invitations/``; nobody joins until they accept.

    ``username`` is still accepted and ignored (the person chooses it when accepting);
    ``password`` is refused: invited people choose their own.
    """

    username = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text="Ignored: chosen by the person when accepting.",
    )
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        style={"input_type": "password"},
        help_text="Refused when not empty: invited people choose their own password.",
    )

    def validate_password(self, value):
        if value:
            raise serializers.ValidationError(_("Invited people choose their own password when they accept."))
        return value

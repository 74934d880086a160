"""What the API says about tokens (``api.py``) and what ``POST auth/token/`` answers."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from .models import ApiToken, Scope, State


class ApiTokenSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(
        choices=State.choices, read_only=True, help_text="active, expired or revoked"
    )
    revoked_reason = serializers.CharField(
        read_only=True,
        help_text="Empty while the token is not revoked; else owner, password_changed, membership_ended or expired",
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "scope",
            "created_at",
            "expires_at",
            "last_used_at",
            "last_used_ip",
            "revoked_at",
            "revoked_reason",
            "state",
        ]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=Scope.choices, default=Scope.READ_WRITE)
    expires_in_days = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="How long the token lasts (default API_TOKEN_DAYS, at most API_TOKEN_MAX_DAYS)",
    )

    def validate_expires_in_days(self, value):
        if value > settings.API_TOKEN_MAX_DAYS:
            raise serializers.ValidationError(
                _("At most %(max)d days.") % {"max": settings.API_TOKEN_MAX_DAYS}
            )
        return value


class IssuedTokenSerializer(ApiTokenSerializer):
    """A token just issued, with its secret: the only answer that ever holds it."""

    token = serializers.CharField(
        read_only=True, help_text="The secret: keep it now, it is never shown again"
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]
        read_only_fields = fields


class ScriptTokenSerializer(serializers.Serializer):
    """``POST auth/token/``'s answer: ``token`` as before, and what the token is."""

    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
    name = serializers.CharField()
    scope = serializers.ChoiceField(choices=Scope.choices)

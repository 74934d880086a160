from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.api.fields import TenantPartnerField
from partners.choices import Tier
from prm.api.fields import PrivateFileField
from rewards.preferences.choices import RewardKind

from ..choices import FULFILMENT
from ..models import Redemption, RewardItem

LANGUAGES = [code for code, _name in settings.LANGUAGES]


class RewardItemSerializer(serializers.ModelSerializer):
    description = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text=f"The description per language code ({', '.join(LANGUAGES)}); shown in the reader's "
        "language, else the tenant's.",
    )
    description_text = serializers.SerializerMethodField(
        help_text="The description in the reader's language, else the tenant's, else any."
    )
    tiers = serializers.ListField(
        child=serializers.ChoiceField(choices=Tier.choices), required=False, help_text="Empty: every tier."
    )
    for_preferences = serializers.ListField(
        child=serializers.ChoiceField(choices=RewardKind.choices),
        required=False,
        help_text="Partners who prefer one of these kinds of reward see the item first, marked for_you.",
    )
    stock = serializers.IntegerField(
        min_value=0, allow_null=True, required=False, help_text="How many are left; null: unlimited."
    )
    picture = PrivateFileField(
        url_name="reward-picture",
        read_only=True,
        help_text="The URL that serves the picture (POST a PNG or JPEG to it as multipart `picture`).",
    )
    for_you = serializers.SerializerMethodField(
        help_text="For a partner user: the item suits its preferences."
    )

    class Meta:
        model = RewardItem
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "description_text",
            "points",
            "stock",
            "available_from",
            "available_until",
            "tiers",
            "for_preferences",
            "preferences_only",
            "picture",
            "active",
            "for_you",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    @extend_schema_field(serializers.CharField())
    def get_description_text(self, item) -> str:
        tenant = self.context.get("tenant")
        return item.description_in(default=tenant.default_language if tenant else None)

    @extend_schema_field(serializers.BooleanField())
    def get_for_you(self, item) -> bool:
        return bool(getattr(item, "for_you", False))


class PictureSerializer(serializers.Serializer):
    picture = serializers.FileField(help_text="A PNG or JPEG.")


class RedemptionSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="requested_by.username", read_only=True, default=None)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)
    history = serializers.JSONField(
        read_only=True, help_text='Every move, oldest first: [{"status", "at", "by", "note"}].'
    )

    class Meta:
        model = Redemption
        fields = [
            "id",
            "partner",
            "item",
            "item_name",
            "points",
            "quantity",
            "status",
            "prize",
            "waits_for_stock",
            "note",
            "status_note",
            "history",
            "requested_by",
            "decided_by",
            "decided_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RedeemSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="The reward's id.")
    quantity = serializers.IntegerField(min_value=1, default=1)
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Delivery details.")
    partner = TenantPartnerField(
        required=False,
        default=None,
        allow_null=True,
        help_text="Staff only: the partner whose points are spent.",
    )


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FulfilSerializer(NoteSerializer):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in FULFILMENT])


class BalanceSerializer(serializers.Serializer):
    partner = serializers.IntegerField()
    balance = serializers.IntegerField(
        help_text="Points that count: run-less entries and approved runs' points."
    )
    reserved = serializers.IntegerField(help_text="Of which reserved by redemptions waiting for a decision.")
    expiring_soon = serializers.IntegerField(help_text="Points that expire within 30 days.")
    expiry_months = serializers.IntegerField(help_text="Points expire after this many months (0: never).")

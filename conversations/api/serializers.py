from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from prm.api.fields import PrivateFileField

from ..choices import Category
from ..models import PartnerRequest, RequestMessage
from ..selectors import thread


class RequestMessageSerializer(serializers.ModelSerializer):
    """One message of a request's thread; ``from_vendor`` tells an answer from the partner's words."""

    author_name = serializers.SerializerMethodField()

    class Meta:
        model = RequestMessage
        fields = ["id", "author", "author_name", "from_vendor", "text", "created_at"]
        read_only_fields = fields

    def get_author_name(self, message) -> str:
        user = message.author
        return (user.get_full_name() or user.username) if user else ""


@extend_schema_serializer(component_name="RaisedRequest")  # "PartnerRequest" is the partner's write shape
class PartnerRequestSerializer(serializers.ModelSerializer):
    """A partner's request, idea or complaint to the vendor. ``status``: ``open`` (waits for the
    vendor), ``answered``, ``closed``. ``first_due_at`` is when the first answer was due (the
    programme's answer time in business time), ``answer_business_days`` how long the first answer
    took, ``answered_in_time`` whether it came by then; ``overdue``: waiting past ``due_at``."""

    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    attachment = PrivateFileField(
        url_name="partner-request-attachment",
        required=False,
        help_text="A PDF, PNG or JPEG; read: where to download it.",
    )

    class Meta:
        model = PartnerRequest
        fields = [
            "id",
            "partner",
            "partner_name",
            "raised_by",
            "category",
            "subject",
            "status",
            "raised_at",
            "first_due_at",
            "due_at",
            "overdue",
            "first_answered_at",
            "answer_business_days",
            "answered_in_time",
            "closed_at",
            "attachment",
            "attachment_name",
        ]
        read_only_fields = [f for f in fields if f not in ("attachment",)]


@extend_schema_serializer(component_name="RaisedRequestDetail")
class PartnerRequestDetailSerializer(PartnerRequestSerializer):
    """A request with its thread, oldest message first."""

    messages = serializers.SerializerMethodField()

    class Meta(PartnerRequestSerializer.Meta):
        fields = [*PartnerRequestSerializer.Meta.fields, "messages"]

    @extend_schema_field(RequestMessageSerializer(many=True))
    def get_messages(self, partner_request) -> list:
        return RequestMessageSerializer(thread(partner_request), many=True).data


class RaiseSerializer(serializers.Serializer):
    """What a partner user sends to raise a request (multipart when it attaches a file)."""

    category = serializers.ChoiceField(choices=Category.choices)
    subject = serializers.CharField(max_length=200)
    text = serializers.CharField()
    attachment = serializers.FileField(required=False, help_text="A PDF, PNG or JPEG.")


class ReplySerializer(serializers.Serializer):
    """A message for the thread: the vendor's answer, or the partner's reply (which reopens it)."""

    text = serializers.CharField()

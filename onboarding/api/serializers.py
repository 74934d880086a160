"""What the onboarding API reads and writes: applications, agreements, completions, invitations,
the catalogue (agreement templates, courses, checklist steps) and announcements."""

from rest_framework import serializers

from partners.api.fields import TenantPartnerField
from prm.api.fields import PrivateFileField

from ..models import (
    Agreement,
    AgreementTemplate,
    Announcement,
    ChecklistStep,
    ChecklistTemplateStep,
    Completion,
    Course,
)


class ApplicationSerializer(serializers.Serializer):
    company = serializers.CharField(max_length=200)
    contact_name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    region = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="A region of the tenant's list (GET applications/), or the candidate's own, kept for review",
    )
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    industry = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="An industry of the tenant's list (GET applications/), or the candidate's own, kept for review",
    )
    lines_carried = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    website = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Leave empty (a honeypot)."
    )

    def validate_website(self, value):
        if value:
            raise serializers.ValidationError("This looks automated; the application was not sent.")
        return value


class AgreementSerializer(serializers.ModelSerializer):
    partner = TenantPartnerField()
    template = serializers.PrimaryKeyRelatedField(queryset=AgreementTemplate.objects.none())
    document = PrivateFileField(
        url_name="agreement-document", help_text="The signed PDF; read: where to download it."
    )

    class Meta:
        model = Agreement
        fields = [
            "id",
            "partner",
            "template",
            "version",
            "signed_on",
            "signatories",
            "document",
            "document_name",
            "created_at",
        ]
        read_only_fields = ["version", "document_name", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        tenant = self.context.get("tenant")
        if tenant is not None:
            fields["template"].queryset = AgreementTemplate.objects.for_tenant(tenant)
        return fields


class CompletionSerializer(serializers.ModelSerializer):
    partner = TenantPartnerField(required=False)
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.none())

    class Meta:
        model = Completion
        fields = ["id", "course", "partner", "person", "completed_on", "expires_on"]
        read_only_fields = ["expires_on"]

    def get_fields(self):
        fields = super().get_fields()
        tenant = self.context.get("tenant")
        if tenant is not None:
            fields["course"].queryset = Course.objects.for_tenant(tenant)
        return fields


class InviteSerializer(serializers.Serializer):
    """Invite a partner's user by e-mail; ``username`` is accepted and ignored (the person chooses
    it when accepting)."""

    partner = TenantPartnerField(required=False)
    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    make_admin = serializers.BooleanField(default=False)
    username = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Ignored: chosen by the person when accepting.",
    )


class AgreementTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementTemplate
        fields = ["id", "name", "version", "body", "active", "created_at"]
        read_only_fields = ["active", "created_at"]
        validators = []  # a repeated version is refused by the service, naming the field


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "name", "description", "required_for_certification", "validity_months", "position"]


class ChecklistTemplateStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistTemplateStep
        fields = ["id", "title", "position"]
        extra_kwargs = {"position": {"required": False}}


class ChecklistStepSerializer(serializers.ModelSerializer):
    done = serializers.BooleanField(
        write_only=True, help_text="PATCH true to tick the step, false to untick it"
    )
    done_by_name = serializers.SerializerMethodField()
    key = serializers.CharField(read_only=True, help_text="Set for steps the system ticks itself (agreement)")

    class Meta:
        model = ChecklistStep
        fields = ["id", "partner", "key", "title", "position", "done", "done_at", "done_by_name"]
        read_only_fields = ["partner", "key", "title", "position", "done_at"]

    def get_done_by_name(self, step) -> str | None:
        return step.done_by.username if step.done_by_id else None

    def to_representation(self, step):
        data = super().to_representation(step)
        data["done"] = step.done_at is not None
        return data


class AnnouncementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Announcement
        fields = ["id", "title", "body", "published_at"]
        read_only_fields = ["published_at"]

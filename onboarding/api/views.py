"""The onboarding API: the public application endpoint, agreements, completions, partner-user invitations."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from partners.models import Partner
from prm.api.fields import PrivateFileField
from prm.api.views import TenantViewMixin, TenantViewSet
from prm.net import client_ip
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.choices import ALL_ROLES, Role
from prm.tenancy.models import Tenant
from scorecards.api.serializers import TenantPartnerField

from ..models import (
    Agreement,
    AgreementTemplate,
    Announcement,
    ChecklistStep,
    ChecklistTemplateStep,
    Completion,
    Course,
)
from ..services.applications import TooManyApplications, application_submit
from ..services.catalogue import agreement_template_publish, announcement_publish, checklist_step_add
from ..services.partner_users import partner_user_invite
from ..services.signing import agreement_record, checklist_step_done
from ..services.training import completion_record
from ..views.manage import agreement_document_response

MANAGERS = frozenset({Role.ADMIN, Role.CHANNEL_MANAGER})


class ApplicationSerializer(serializers.Serializer):
    company = serializers.CharField(max_length=200)
    contact_name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    region = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    lines_carried = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    website = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Leave empty (a honeypot)."
    )

    def validate_website(self, value):
        if value:
            raise serializers.ValidationError("This looks automated; the application was not sent.")
        return value


class ApplicationView(generics.GenericAPIView):
    """Public, no login: a candidate company applies; it becomes a prospect with source ``inbound``."""

    serializer_class = ApplicationSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]
    #: open to everyone by design; the isolation walker leaves it out
    public = True

    @extend_schema(responses={201: None})
    def post(self, request, tenant):
        target = get_object_or_404(Tenant, slug=tenant)
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if k != "website"}
        try:
            application = application_submit(tenant=target, ip=client_ip(request), **data)
        except TooManyApplications as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        return Response(
            {"id": application.pk, "partner": application.partner_id}, status=status.HTTP_201_CREATED
        )


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


class AgreementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """Signed agreements (multipart with the PDF); the ``signed`` stage needs one."""

    model = Agreement
    serializer_class = AgreementSerializer
    read_roles = ALL_ROLES
    write_roles = MANAGERS
    partner_scope = "partner"

    def base_queryset(self):
        return Agreement.objects.for_tenant(self.tenant).select_related("template")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = agreement_record(actor=self.request.user, **data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def document(self, request, *args, **kwargs):
        """The signed PDF, as an attachment (404 for anyone who cannot see the agreement)."""
        return agreement_document_response(self.get_object())


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


class CompletionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """Course completions; the last required one certifies the partner automatically."""

    model = Completion
    serializer_class = CompletionSerializer
    read_roles = ALL_ROLES
    write_roles = frozenset(MANAGERS | {Role.PARTNER})
    partner_scope = "partner"

    def base_queryset(self):
        return Completion.objects.for_tenant(self.tenant).select_related("course")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partner = self.writing_partner(data.pop("partner", None))
        serializer.instance = completion_record(partner=partner, actor=self.request.user, **data)


class InviteSerializer(serializers.Serializer):
    partner = TenantPartnerField(required=False)
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    make_admin = serializers.BooleanField(default=False)


class PartnerUserViewSet(TenantViewSet):
    """Invite partner users: managers for any partner, partner admins for their own partner only."""

    model = Partner
    serializer_class = InviteSerializer
    read_roles = ALL_ROLES
    write_roles = frozenset(MANAGERS | {Role.PARTNER})
    partner_scope = "id"

    def base_queryset(self):
        return Partner.objects.none()

    @extend_schema(request=InviteSerializer, responses={201: None})
    @action(detail=False, methods=["post"])
    def invite(self, request, *args, **kwargs):
        body = InviteSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        partner = data.pop("partner", None)
        partner_id = (
            self.access.partner_id
            if self.access.is_partner and partner is None
            else getattr(partner, "pk", None)
        )
        if partner_id is None:
            raise serializers.ValidationError({"partner": ["This field is required."]})
        membership = partner_user_invite(
            tenant=self.tenant, actor=request.user, access=self.access, partner_id=partner_id, **data
        )
        return Response(
            {"membership": membership.pk, "username": membership.user.username},
            status=status.HTTP_201_CREATED,
        )


class AgreementTemplateSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementTemplate
        fields = ["id", "name", "version", "body", "active", "created_at"]
        read_only_fields = ["active", "created_at"]
        validators = []  # a repeated version is refused by the service, naming the field


class AgreementTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                               TenantViewSet):  # fmt: skip
    """The agreement templates (name, version, terms): what ``POST agreements/`` names as ``template``.
    POST publishes a new version (managers): it is offered from then on; earlier versions stay readable."""

    model = AgreementTemplate
    serializer_class = AgreementTemplateSerializer
    read_roles = ALL_ROLES
    write_roles = MANAGERS
    partner_scope = SHARED_WITH_PARTNERS  # partners read the terms they sign
    filterset_fields = ["active", "name"]

    def base_queryset(self):
        return AgreementTemplate.objects.for_tenant(self.tenant)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = agreement_template_publish(
            tenant=self.tenant, actor=self.request.user, name=data["name"], version=data["version"],
            body=data.get("body", ""),
        )  # fmt: skip


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "name", "description", "required_for_certification", "validity_months", "position"]


class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The training courses: what ``POST completions/`` names as ``course``."""

    model = Course
    serializer_class = CourseSerializer
    read_roles = ALL_ROLES
    partner_scope = SHARED_WITH_PARTNERS  # every partner trains on the same catalogue
    filterset_fields = ["required_for_certification"]

    def base_queryset(self):
        return Course.objects.for_tenant(self.tenant)


class ChecklistTemplateStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistTemplateStep
        fields = ["id", "title", "position"]
        extra_kwargs = {"position": {"required": False}}


class ChecklistTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                               TenantViewSet):  # fmt: skip
    """The steps every newly signed partner's onboarding checklist starts with; managers add steps."""

    model = ChecklistTemplateStep
    serializer_class = ChecklistTemplateStepSerializer
    write_roles = MANAGERS

    def base_queryset(self):
        return ChecklistTemplateStep.objects.for_tenant(self.tenant)

    def perform_create(self, serializer):
        serializer.instance = checklist_step_add(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )


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


class ChecklistStepViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                           TenantViewSet):  # fmt: skip
    """Each signed partner's onboarding checklist (``?partner=``); managers tick steps, partners read theirs."""

    model = ChecklistStep
    serializer_class = ChecklistStepSerializer
    read_roles = ALL_ROLES
    write_roles = MANAGERS
    partner_scope = "partner"
    filterset_fields = ["partner"]
    http_method_names = ["get", "patch", "head", "options"]

    def base_queryset(self):
        return (
            ChecklistStep.objects.for_tenant(self.tenant)
            .select_related("done_by")
            .order_by("partner_id", "position", "id")
        )

    def perform_update(self, serializer):
        serializer.instance = checklist_step_done(
            step=serializer.instance,
            actor=self.request.user,
            done=serializer.validated_data.get("done", True),
        )


class AnnouncementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Announcement
        fields = ["id", "title", "body", "published_at"]
        read_only_fields = ["published_at"]


class AnnouncementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """News for every partner and member of the tenant; managers publish."""

    model = Announcement
    serializer_class = AnnouncementSerializer
    read_roles = ALL_ROLES
    write_roles = MANAGERS
    partner_scope = SHARED_WITH_PARTNERS

    def base_queryset(self):
        return Announcement.objects.for_tenant(self.tenant)

    def perform_create(self, serializer):
        serializer.instance = announcement_publish(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )


class CertificateView(TenantViewMixin, generics.GenericAPIView):
    """The certificate PDF of a certified partner (partners: their own); 404 for one not certified."""

    read_roles = ALL_ROLES
    partner_scope = "id"
    filter_backends = []
    model = Partner
    serializer_class = None
    #: a partner that is not certified has no certificate (the isolation walker knows)
    empty_is_404 = True

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, *args, **kwargs):
        from ..views.manage import certificate_response

        partner = get_object_or_404(self.scoped(Partner.objects.for_tenant(self.tenant)), pk=kwargs["pk"])
        return certificate_response(partner)

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
from prm.api.views import TenantViewMixin, TenantViewSet
from prm.net import client_ip
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.api.serializers import InvitationSentSerializer
from prm.tenancy.capabilities import Capability as C
from prm.tenancy.models import Tenant

from ..models import (
    Agreement,
    AgreementTemplate,
    Announcement,
    ChecklistStep,
    ChecklistTemplateStep,
    Completion,
    Course,
)
from ..services.applications import TooManyApplications, application_lists, application_submit
from ..services.catalogue import agreement_template_publish, announcement_publish, checklist_step_add
from ..services.partner_users import partner_user_invite
from ..services.signing import agreement_record, checklist_step_done
from ..services.training import completion_record
from ..views.manage import agreement_document_response, certificate_response
from .serializers import (
    AgreementSerializer,
    AgreementTemplateSerializer,
    AnnouncementSerializer,
    ApplicationSerializer,
    ChecklistStepSerializer,
    ChecklistTemplateStepSerializer,
    CompletionSerializer,
    CourseSerializer,
    InviteSerializer,
)


class ApplicationView(generics.GenericAPIView):
    """Public, no login: a candidate company applies; it becomes a prospect with source ``inbound``.

    ``region`` and ``industry`` take a value of the tenant's list (GET: the lists) or, when none
    fits, the candidate's own text: the application is accepted, the answer kept as sent and flagged
    for review (``unlisted`` on ``inbound-applications/``), the prospect left without it until a
    reviewer settles it. A kind without a list takes free text."""

    serializer_class = ApplicationSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]
    #: open to everyone by design; the isolation walker leaves it out
    public = True

    @extend_schema(
        responses={
            200: {
                "type": "object",
                "properties": {
                    "region": {"type": "array", "items": {"type": "string"}},
                    "industry": {"type": "array", "items": {"type": "string"}},
                },
            }
        }
    )
    def get(self, request, tenant):
        """The values the tenant lists for ``region`` and ``industry`` (empty: free text)."""
        return Response(application_lists(get_object_or_404(Tenant, slug=tenant)))

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


class AgreementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """Signed agreements (multipart with the PDF); the ``signed`` stage needs one."""

    model = Agreement
    serializer_class = AgreementSerializer
    read_capability = C.READ
    write_capability = C.MANAGE_ONBOARDING
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


class CompletionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """Course completions; the last required one certifies the partner automatically."""

    model = Completion
    serializer_class = CompletionSerializer
    read_capability = C.READ
    write_capability = C.COMPLETE_TRAINING
    partner_scope = "partner"

    def base_queryset(self):
        return Completion.objects.for_tenant(self.tenant).select_related("course")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        partner = self.writing_partner(data.pop("partner", None))
        serializer.instance = completion_record(partner=partner, actor=self.request.user, **data)


class PartnerUserViewSet(TenantViewSet):
    """Invite partner users: managers for any partner, partner admins for their own partner only."""

    model = Partner
    serializer_class = InviteSerializer
    read_capability = C.READ
    write_capability = C.INVITE_PARTNER_USERS
    partner_scope = "id"

    def base_queryset(self):
        return Partner.objects.none()

    @extend_schema(
        request=InviteSerializer,
        responses={201: InvitationSentSerializer},
        description=(
            "Sends an invitation (the same answer whatever accounts exist); the person becomes the "
            "partner's user only when they accept the e-mailed link. Pending ones are listed by "
            "`invitations/` (admins)."
        ),
    )
    @action(detail=False, methods=["post"])
    def invite(self, request, *args, **kwargs):
        body = InviteSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data.pop("username", None)
        partner = data.pop("partner", None)
        partner_id = (
            self.access.partner_id
            if self.access.is_partner and partner is None
            else getattr(partner, "pk", None)
        )
        if partner_id is None:
            raise serializers.ValidationError({"partner": ["This field is required."]})
        invitation = partner_user_invite(
            tenant=self.tenant, actor=request.user, access=self.access, partner_id=partner_id, **data
        )
        return Response(InvitationSentSerializer(invitation).data, status=status.HTTP_201_CREATED)


class AgreementTemplateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """The agreement templates (name, version, terms): what ``POST agreements/`` names as ``template``.
    POST publishes a new version (managers): it is offered from then on; earlier versions stay readable."""

    model = AgreementTemplate
    serializer_class = AgreementTemplateSerializer
    read_capability = C.READ
    write_capability = C.MANAGE_ONBOARDING
    partner_scope = SHARED_WITH_PARTNERS  # partners read the terms they sign
    filterset_fields = ["active", "name"]

    def base_queryset(self):
        return AgreementTemplate.objects.for_tenant(self.tenant)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = agreement_template_publish(
            tenant=self.tenant,
            actor=self.request.user,
            name=data["name"],
            version=data["version"],
            body=data.get("body", ""),
        )


class CourseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The training courses: what ``POST completions/`` names as ``course``."""

    model = Course
    serializer_class = CourseSerializer
    read_capability = C.READ
    partner_scope = SHARED_WITH_PARTNERS  # every partner trains on the same catalogue
    filterset_fields = ["required_for_certification"]

    def base_queryset(self):
        return Course.objects.for_tenant(self.tenant)


class ChecklistTemplateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """The steps every newly signed partner's onboarding checklist starts with; managers add steps."""

    model = ChecklistTemplateStep
    serializer_class = ChecklistTemplateStepSerializer
    write_capability = C.MANAGE_ONBOARDING

    def base_queryset(self):
        return ChecklistTemplateStep.objects.for_tenant(self.tenant)

    def perform_create(self, serializer):
        serializer.instance = checklist_step_add(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )


class ChecklistStepViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, TenantViewSet
):
    """Each signed partner's onboarding checklist (``?partner=``); managers tick steps, partners read theirs."""

    model = ChecklistStep
    serializer_class = ChecklistStepSerializer
    read_capability = C.READ
    write_capability = C.MANAGE_ONBOARDING
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


class AnnouncementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """News for every partner and member of the tenant; managers publish."""

    model = Announcement
    serializer_class = AnnouncementSerializer
    read_capability = C.READ
    write_capability = C.MANAGE_ONBOARDING
    partner_scope = SHARED_WITH_PARTNERS

    def base_queryset(self):
        return Announcement.objects.for_tenant(self.tenant)

    def perform_create(self, serializer):
        serializer.instance = announcement_publish(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )


class CertificateView(TenantViewMixin, generics.GenericAPIView):
    """The certificate PDF of a certified partner (partners: their own); 404 for one not certified."""

    read_capability = C.READ
    partner_scope = "id"
    filter_backends = []
    model = Partner
    serializer_class = None
    #: a partner that is not certified has no certificate (the isolation walker knows)
    empty_is_404 = True

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, *args, **kwargs):
        partner = get_object_or_404(self.scoped(Partner.objects.for_tenant(self.tenant)), pk=kwargs["pk"])
        return certificate_response(partner)

"""inbound-applications/: the applications received (staff), and settling an answer off the
tenant's lists (``review``), as the Applications page does."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from prm.api.views import TenantViewSet
from prm.tenancy.capabilities import Capability, allows

from ..models import Application
from ..services.application_review import application_review
from ..services.applications import REVIEWED_FIELDS


class InboundApplicationSerializer(serializers.ModelSerializer):
    unlisted = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The answers (region, industry) off the tenant's lists, kept as sent, waiting for review",
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "company",
            "contact_name",
            "email",
            "phone",
            "region",
            "country",
            "industry",
            "lines_carried",
            "message",
            "partner",
            "unlisted",
            "created_at",
        ]
        read_only_fields = fields


class ReviewSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=sorted(REVIEWED_FIELDS))
    value = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="A value of the tenant's list"
    )
    add_to_list = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Add the candidate's own answer to the list and use it (needs edit_programme)",
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "unlisted", bool, description="true: only applications with answers off the lists to settle"
            )
        ]
    )
)
class InboundApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Applications from the public page, newest first; ``?unlisted=true`` only those with answers
    to settle. ``review`` settles one: a listed ``value``, or ``add_to_list``."""

    model = Application
    serializer_class = InboundApplicationSerializer
    read_capability = Capability.READ_VENDOR_SIDE
    action_capabilities = {"review": Capability.WORK_PIPELINE}

    def base_queryset(self):
        queryset = Application.objects.for_tenant(self.tenant).order_by("-created_at", "-id")
        if self.request.query_params.get("unlisted") in ("true", "1"):
            queryset = queryset.exclude(unlisted=[])
        return queryset

    @extend_schema(request=ReviewSerializer, responses=InboundApplicationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, *args, **kwargs):
        """Settle an answer off the lists: the prospect gets the value, the flag goes."""
        application = self.get_object()
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data["add_to_list"] and not allows(
            request.tenant_access.role, Capability.EDIT_PROGRAMME
        ):
            raise PermissionDenied("Only those who keep the programme's lists may add to them.")
        try:
            application = application_review(
                application=application, actor=request.user, **body.validated_data
            )
        except ValidationError as exc:
            raise serializers.ValidationError(
                getattr(exc, "message_dict", None) or {"detail": exc.messages}
            ) from exc
        return Response(InboundApplicationSerializer(application).data)

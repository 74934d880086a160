"""sent-mail/: the mail store read through the API (admins), newest first by cursor."""

from rest_framework import mixins, serializers
from rest_framework.routers import SimpleRouter

from prm.api.pagination import KeysetPagination
from prm.api.views import TenantViewSet
from prm.tenancy.capabilities import Capability

from .models import SentEmail
from .selectors import sent_email_list


class SentEmailSerializer(serializers.ModelSerializer):
    to = serializers.ListField(child=serializers.CharField(), help_text="Every recipient (to, cc, bcc)")
    kind = serializers.CharField(
        help_text="The notification category (invitations, applications ...) or the template's name; "
        "empty when the sender named none"
    )

    class Meta:
        model = SentEmail
        fields = ["id", "created_at", "kind", "subject", "from_email", "to", "text", "html"]
        read_only_fields = fields


class SentEmailViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """What the programme e-mailed for the tenant (kept by the mail store), newest first; the HTML
    body is the message's own and is not sanitised: never render it unsandboxed."""

    model = SentEmail
    serializer_class = SentEmailSerializer
    read_capability = Capability.READ_SENT_MAIL
    filterset_fields = ["kind"]
    pagination_class = KeysetPagination
    cursor_ordering = ("-created_at", "-id")  # the index (tenant, created_at desc, id desc)

    def base_queryset(self):
        return sent_email_list(tenant=self.tenant)


router = SimpleRouter()
router.register("sent-mail", SentEmailViewSet, basename="sent-mail")
urlpatterns = [*router.urls]

"""personal-data/: find a person, export their records, erase them (the tenant's admin).

A person is named by ``?email=`` or by one record: ``?contact=``, ``?member=`` (a membership id,
as ``members/`` lists) or ``?application=``; for an erasure the same names go in the body.
"""

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from prm.api.views import TenantViewMixin
from prm.tenancy.capabilities import Capability

from .erasure import erase_refusals, personal_data_erase
from .export import personal_data_export
from .records import counts, person_found
from .subject import subject_for

PERSON_PARAMETERS = [
    OpenApiParameter("email", str, description="Every record of the tenant with this address"),
    OpenApiParameter("contact", int, description="A contact's id (its e-mail finds the rest)"),
    OpenApiParameter("member", int, description="A membership's id (a member or partner user)"),
    OpenApiParameter("application", int, description="An application's id"),
]


class PersonSerializer(serializers.Serializer):
    email = serializers.CharField(required=False, allow_blank=True)
    contact = serializers.IntegerField(required=False)
    member = serializers.IntegerField(required=False)
    application = serializers.IntegerField(required=False)


class EraseSerializer(PersonSerializer):
    confirm = serializers.CharField(
        help_text='The person\'s e-mail typed again (or "erase" when there is none)'
    )


class FoundSerializer(serializers.Serializer):
    email = serializers.CharField()
    confirmation = serializers.CharField(help_text="What ``confirm`` must be to erase this person")
    records = serializers.DictField(child=serializers.IntegerField(), help_text="{kind: rows}")
    refusals = serializers.ListField(child=serializers.CharField(), help_text="Why erasing is refused now")


class ErasedSerializer(serializers.Serializer):
    records = serializers.DictField(child=serializers.IntegerField(), help_text="{kind: rows anonymised}")


class PersonalDataMixin(TenantViewMixin):
    read_capability = write_capability = Capability.MANAGE_PERSONAL_DATA
    filter_backends = []
    pagination_class = None
    model = None

    def subject(self, data, serializer_class=PersonSerializer):
        body = serializer_class(data=data)
        body.is_valid(raise_exception=True)
        named = {k: v for k, v in body.validated_data.items() if k != "confirm"}
        return subject_for(tenant=self.tenant, **named), body.validated_data


class PersonalDataView(PersonalDataMixin, generics.GenericAPIView):
    """What the tenant stores about a person: the kinds of records and how many of each."""

    serializer_class = FoundSerializer

    @extend_schema(parameters=PERSON_PARAMETERS, responses=FoundSerializer)
    def get(self, request, *args, **kwargs):
        subject, _data = self.subject(request.query_params)
        person = person_found(subject)
        return Response(
            {
                "email": subject.email,
                "confirmation": subject.confirmation,
                "records": counts(person),
                "refusals": erase_refusals(person, request.user),
            }
        )


class PersonalDataExportView(PersonalDataMixin, generics.GenericAPIView):
    """Every record about the person in this tenant, as one JSON document (audited):
    ``{"tenant", "email", "generated_at", "records": {kind: [row, ...]}}``."""

    @extend_schema(parameters=PERSON_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request, *args, **kwargs):
        subject, _data = self.subject(request.query_params)
        body = personal_data_export(subject=subject, actor=request.user)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="personal-data-{self.tenant.slug}.json"'
        response["Cache-Control"] = "private, no-store"
        return response


class PersonalDataEraseView(PersonalDataMixin, generics.GenericAPIView):
    """Anonymise the person everywhere in this tenant (see DOMAIN: personal data). ``confirm`` must
    repeat the person's e-mail. 400 with the reasons when refused (e.g. a draft payout run pays
    their partner); audited with the kinds and counts only."""

    serializer_class = EraseSerializer

    @extend_schema(request=EraseSerializer, responses=ErasedSerializer)
    def post(self, request, *args, **kwargs):
        subject, data = self.subject(request.data, EraseSerializer)
        erased = personal_data_erase(subject=subject, actor=request.user, confirm=data["confirm"])
        return Response({"records": erased})


urlpatterns = [
    path("personal-data/", PersonalDataView.as_view(), name="personal-data"),
    path("personal-data/export/", PersonalDataExportView.as_view(), name="personal-data-export"),
    path("personal-data/erase/", PersonalDataEraseView.as_view(), name="personal-data-erase"),
]

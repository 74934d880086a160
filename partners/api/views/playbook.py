"""The objection playbook."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from partners.api.serializers.visits import PlaybookEntrySerializer
from partners.api.views.validation import _valid
from partners.choices import ObjectionType
from partners.lifecycle.visits import playbook_for, playbook_set
from partners.models import ObjectionResponse
from prm.api.views import TenantViewMixin
from prm.tenancy.capabilities import Capability as C


class PlaybookView(TenantViewMixin, generics.GenericAPIView):
    """The objection playbook: the recommended response per objection type (the tenant's, or the default)."""

    serializer_class = PlaybookEntrySerializer
    write_capability = C.EDIT_PLAYBOOK
    filter_backends = []
    pagination_class = None
    model = None

    def entries(self):

        own = set(ObjectionResponse.objects.for_tenant(self.tenant).values_list("type", flat=True))
        return [
            {"type": t, "label": ObjectionType(t).label, "response": text, "is_default": t not in own}
            for t, text in playbook_for(self.tenant).items()
        ]

    @extend_schema(responses=PlaybookEntrySerializer(many=True))
    def get(self, request, *args, **kwargs):
        return Response(PlaybookEntrySerializer(self.entries(), many=True).data)


class PlaybookEntryView(PlaybookView):
    """One objection type's recommended response: read it, or set the tenant's own (PUT, managers)."""

    def entry(self):

        for entry in self.entries():
            if entry["type"] == self.kwargs["type"]:
                return entry
        raise Http404

    @extend_schema(responses=PlaybookEntrySerializer)
    def get(self, request, *args, **kwargs):
        return Response(PlaybookEntrySerializer(self.entry()).data)

    @extend_schema(request=PlaybookEntrySerializer, responses=PlaybookEntrySerializer)
    def put(self, request, *args, **kwargs):

        self.entry()  # 404 for an unknown type
        body = _valid(PlaybookEntrySerializer, request.data)
        playbook_set(
            tenant=self.tenant, actor=request.user, type=self.kwargs["type"], response=body["response"]
        )
        return Response(PlaybookEntrySerializer(self.entry()).data)

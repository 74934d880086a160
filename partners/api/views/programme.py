"""The programme's settings: every app's section (``prm.programme``), with the tier table in words."""

from rest_framework import generics
from rest_framework.response import Response

from partners.api.serializers.programme import ProgrammeSerializer
from partners.programme.settings import (
    NAMED_ROWS,
    programme_for,
    programme_save,
    tier_key_words,
    tiering_changed,
)
from partners.tasks import recompute_tiers
from prm.api.views import TenantViewMixin
from prm.jobs.api.serializers import JobSerializer
from prm.jobs.services import job_start
from prm.programme import programme_body
from prm.tenancy.capabilities import Capability as C


class ProgrammeView(TenantViewMixin, generics.GenericAPIView):
    """The programme's settings, one flat set of names whichever app owns each: partners' time
    boxes, deal protection, tier window, weights, thresholds and tier table, scorecards', incentives'
    and onboarding's. Every staff role reads them; admins change them (PATCH), and a change of a
    tiering setting starts a recompute of every tier (its job in ``tier_recompute``)."""

    serializer_class = ProgrammeSerializer
    write_capability = C.EDIT_PROGRAMME
    filter_backends = []
    model = None

    def _body(self, job=None):
        tier_table = programme_for(self.tenant).tier_table
        return {
            **programme_body(self.tenant),
            "tier_rows": [
                {"key": key, **tier_key_words(key), "tier": tier, "named": key in NAMED_ROWS}
                for key, tier in tier_table.items()
            ],
            "tier_recompute": JobSerializer(job, context=self.get_serializer_context()).data if job else None,
        }

    def get(self, request, *args, **kwargs):
        return Response(self._body())

    def patch(self, request, *args, **kwargs):
        body = ProgrammeSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        before = programme_for(self.tenant)
        after = programme_save(tenant=self.tenant, actor=request.user, values=dict(body.validated_data))
        job = None
        if tiering_changed(before, after):
            job = job_start(
                tenant=self.tenant, kind="recompute_tiers", task=recompute_tiers, requested_by=request.user
            )
        return Response(self._body(job))

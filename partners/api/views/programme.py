"""The partner programme's settings."""

from rest_framework import generics
from rest_framework.response import Response

from partners.api.serializers.programme import ProgrammeSerializer
from partners.programme import programme_for
from partners.tasks import recompute_tiers
from prm.api.views import TenantViewMixin
from prm.jobs.api.serializers import JobSerializer
from prm.tenancy.capabilities import Capability as C


class ProgrammeView(TenantViewMixin, generics.GenericAPIView):
    """The partner programme's settings: time boxes, deal protection, tier window, weights,
    thresholds and the tier table. Every staff role reads them; admins change them (PATCH), and a
    change of a tiering setting starts a recompute of every tier (its job in ``tier_recompute``)."""

    serializer_class = ProgrammeSerializer
    write_capability = C.EDIT_PROGRAMME
    filter_backends = []
    model = None

    def _body(self, programme, job=None):
        from partners.programme import NAMED_ROWS, tier_key_words

        return {
            "time_boxes": {k: v or 0 for k, v in programme.time_boxes.items()},
            "protection_days": programme.protection_days,
            "deals_auto_win": programme.deals_auto_win,
            "tier_window_days": programme.tier_window_days,
            "assessment_weight": programme.assessment_weight,
            "thresholds": programme.thresholds,
            "tier_table": programme.tier_table,
            "gate_minimums": programme.gate_minimums,
            "revenue_weight": programme.revenue_weight,
            "attainment_cap": programme.attainment_cap,
            "balance_spread": programme.balance_spread,
            "jump_factor": programme.jump_factor,
            "jump_minimum": programme.jump_minimum,
            "pay_unsigned_partners": programme.pay_unsigned_partners,
            "answer_within_days": programme.answer_within_days,
            "selling_stages": list(programme.selling_stages),
            "willingness_weights": programme.willingness_weights,
            "mdf_over_claim": programme.mdf_over_claim,
            "certification_reminder_days": programme.certification_reminder_days,
            "certification_lapse": programme.certification_lapse,
            "health_quiet_days": programme.health_quiet_days,
            "health_return_amount": programme.health_return_amount,
            "visit_cadence_per_day": programme.visit_cadence_per_day,
            "service_reminder_days": programme.service_reminder_days,
            "remind_end_customers": programme.remind_end_customers,
            "tier_rows": [
                {"key": key, **tier_key_words(key), "tier": tier, "named": key in NAMED_ROWS}
                for key, tier in programme.tier_table.items()
            ],
            "tier_recompute": JobSerializer(job, context=self.get_serializer_context()).data if job else None,
        }

    def get(self, request, *args, **kwargs):
        return Response(self._body(programme_for(self.tenant)))

    def patch(self, request, *args, **kwargs):
        from partners.programme import programme_save, tiering_changed
        from prm.jobs.services import job_start

        body = ProgrammeSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        before = programme_for(self.tenant)
        after = programme_save(tenant=self.tenant, actor=request.user, values=dict(body.validated_data))
        job = None
        if tiering_changed(before, after):
            job = job_start(
                tenant=self.tenant, kind="recompute_tiers", task=recompute_tiers, requested_by=request.user
            )
        return Response(self._body(after, job))

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from prm.api.views import TenantViewSet
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability as C

from .. import results, selectors
from ..models import CustomerSurvey, PartnerSurvey
from ..services.customer import SurveyClosed
from ..services.partner import partner_survey_answer, partner_survey_create, partner_survey_send
from . import serializers as s


class CustomerSurveyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Customer surveys the daily job sent after registered products and won deals, with their
    answers (read only: answers arrive through the e-mailed link). A partner user sees its own."""

    model = CustomerSurvey
    serializer_class = s.CustomerSurveySerializer
    read_capability = C.READ
    partner_scope = "partner"

    def base_queryset(self):
        return CustomerSurvey.objects.for_tenant(self.tenant).select_related("partner")


class PartnerSurveyViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """Partner survey rounds. Managers create one (the recommend question comes first by itself; up
    to five more), ``send/`` it once to the eligible partners' people, and read its ``results/``
    (per tier, region and operating model, groups under the tenant's minimum hidden) and the
    ``trend/`` across rounds. Answers are anonymous and arrive through each person's link."""

    model = PartnerSurvey
    serializer_class = s.PartnerSurveySerializer
    read_capability = C.RUN_SURVEYS
    write_capability = C.RUN_SURVEYS
    http_method_names = ["get", "post", "head", "options"]
    action_capabilities = {"send": C.RUN_SURVEYS, "results": C.RUN_SURVEYS, "trend": C.RUN_SURVEYS}

    def base_queryset(self):
        return selectors.partner_surveys(tenant=self.tenant)

    def perform_create(self, serializer):
        created = partner_survey_create(
            tenant=self.tenant, actor=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.base_queryset().get(pk=created.pk)

    @extend_schema(request=None, responses=s.SendResultSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, *args, **kwargs):
        """Send the round to the eligible partners' people (once; a round sent already is 400)."""
        count = partner_survey_send(survey=self.get_object(), actor=request.user)
        return Response({"invited": count})

    @extend_schema(responses=s.ResultsSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request, *args, **kwargs):
        """The round's promoters, passives, detractors, NPS and comments, overall and per group."""
        figures = results.survey_results(self.get_object())
        return Response(
            {
                "minimum": figures["minimum"],
                "overall": s.group_data(figures["overall"]),
                "by_tier": [s.group_data(g) for g in figures["by"]["tier"]],
                "by_region": [s.group_data(g) for g in figures["by"]["region"]],
                "by_operating_model": [s.group_data(g) for g in figures["by"]["operating_model"]],
                "questions": figures["questions"],
            }
        )

    @extend_schema(responses=s.TrendPointSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def trend(self, request, *args, **kwargs):
        """Every sent round, oldest first, with its figures (none under the minimum)."""
        return Response(s.TrendPointSerializer(results.trend(self.tenant), many=True).data)


class MySurveyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """The partner survey rounds the calling partner user was invited to, newest first, with its
    own invitation's state; ``answer/`` answers one (once, as the e-mailed link does: whichever
    comes first counts; again, or after the round closed, is 409). Answers are anonymous. A round
    the caller was not invited to is 404; staff, who are not surveyed, are refused (403)."""

    model = PartnerSurvey
    serializer_class = s.MySurveySerializer
    read_capability = C.PARTNER_HOME
    write_capability = C.PARTNER_HOME
    # rounds belong to no partner: the caller reaches only those with its own invitation
    partner_scope = SHARED_WITH_PARTNERS
    http_method_names = ["get", "post", "head", "options"]
    action_capabilities = {"answer": C.PARTNER_HOME}

    def base_queryset(self):
        return selectors.invitations_of(tenant=self.tenant, user=self.request.user)

    @extend_schema(request=s.AnswerSerializer, responses=s.MySurveySerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        """Answer the round: the recommend score, the other answers in order, a comment."""
        survey = self.get_object()
        body = s.AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invitation = selectors.invitation_of(tenant=self.tenant, user=request.user, survey_id=survey.pk)
        try:
            partner_survey_answer(invitation=invitation, **body.validated_data)
        except SurveyClosed as closed:
            detail = (
                _("You answered this survey already.")
                if str(closed) == "answered"
                else _("This survey no longer takes answers.")
            )
            return Response({"detail": detail}, status=status.HTTP_409_CONFLICT)
        return Response(s.MySurveySerializer(self.base_queryset().get(pk=survey.pk)).data)

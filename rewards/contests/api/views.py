from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from prm.api.views import TenantViewSet
from prm.tenancy.access import SHARED_WITH_PARTNERS
from prm.tenancy.capabilities import Capability as C

from .. import selectors, services, standings
from ..models import Contest
from . import serializers as s

PAGE = 50


class ContestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """Contests between partners: a period, an eligible group, a measure and prizes. Managers create
    and change them (``prizes`` given replace the contest's) and ``close/`` an ended one, which awards
    its prizes once (a second close is refused). ``leaderboard/`` ranks the eligible partners from the
    latest figures. A partner user sees the started contests it takes part in (others are 404), the
    leaderboard with its own place, and the other partners as "Partner #rank" unless the contest
    shows names."""

    model = Contest
    serializer_class = s.ContestSerializer
    read_capability = C.READ
    write_capability = C.RUN_CONTESTS
    partner_scope = SHARED_WITH_PARTNERS
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_capabilities = {"close": C.RUN_CONTESTS, "leaderboard": C.READ, "awards": C.READ}

    def base_queryset(self):
        return selectors.visible_contests(tenant=self.tenant, access=self.access)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        access = context.get("access")
        if access is not None and access.is_partner:
            context["preferred"] = selectors.preferences_of(tenant=self.tenant, partner_id=access.partner_id)
        return context

    def _save(self, serializer, contest=None):
        data = dict(serializer.validated_data)
        prizes = data.pop("prizes", None)
        serializer.instance = services.contest_save(
            tenant=self.tenant, actor=self.request.user, contest=contest, prizes=prizes, **data
        )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, contest=serializer.instance)

    @extend_schema(request=None, responses=s.ContestAwardSerializer(many=True))
    @action(detail=True, methods=["post"], pagination_class=None)
    def close(self, request, *args, **kwargs):
        """Close the ended contest and award its prizes (once; a closed contest is refused, 400)."""
        awards = services.contest_close(contest=self.get_object(), actor=request.user)
        return Response(s.ContestAwardSerializer(awards, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("page", int, description="Page of 50 ranks, from 1.")],
        responses=s.LeaderboardSerializer,
    )
    @action(detail=True, methods=["get"])
    def leaderboard(self, request, *args, **kwargs):
        """The eligible partners ranked from the latest figures (ties share a rank); a partner user
        also gets its own place (``own``): rank, value, prizes held and the distance to the others."""
        contest = self.get_object()
        try:
            page = max(1, int(request.query_params.get("page", 1)))
        except ValueError:
            page = 1
        viewer = self.access.partner_id if self.access.is_partner else None
        rows = standings.leaderboard(contest, limit=PAGE, offset=(page - 1) * PAGE)
        own = None
        if viewer is not None:
            mine = standings.own_standing(contest, viewer)
            own = {
                "standing": s.standing_row(mine.standing, contest=contest, viewer_partner_id=viewer)
                if mine.standing
                else None,
                "holds": [prize.pk for prize in mine.holds],
                "to_reach": [{"prize": p.pk, "label": p.label, "missing": m} for p, m in mine.to_reach],
            }
        body = {
            "count": standings.ranked_count(contest),
            "page": page,
            "results": [s.standing_row(row, contest=contest, viewer_partner_id=viewer) for row in rows],
            "own": own,
        }
        return Response(s.LeaderboardSerializer(body).data)

    @extend_schema(request=None, responses=s.ContestAwardSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def awards(self, request, *args, **kwargs):
        """The prizes awarded when the contest closed (a partner user: its own)."""
        awards = selectors.awards_of(tenant=self.tenant, contest=self.get_object())
        if self.access.is_partner:
            awards = awards.filter(partner_id=self.access.partner_id)
        return Response(s.ContestAwardSerializer(awards, many=True).data)

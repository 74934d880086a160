from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.choices import OperatingModel, Tier
from rewards.catalogue.models import RewardItem
from rewards.preferences.choices import RewardKind
from scorecards.models import Kpi

from ..choices import ContestStatus
from ..models import Contest, ContestAward, Prize


class PrizeSerializer(serializers.ModelSerializer):
    """A prize: for ``basis`` ``rank`` the ranks ``rank_from``–``rank_to`` (ties share a rank), for
    ``threshold`` everyone whose progress reaches ``threshold`` (a KPI: percent of its target; the
    score or growth: the value). ``kind`` ``points`` credits ``points``, ``money`` adds ``amount``
    to the next draft payout run, ``item`` gives one of the catalogue's reward ``item`` (an active
    one of the programme) as a redemption that costs no points and is approved at once."""

    item = serializers.PrimaryKeyRelatedField(
        queryset=RewardItem._base_manager.none(),
        required=False,
        allow_null=True,
        help_text="The reward's id (``rewards/``), for ``kind`` ``item``.",
    )

    class Meta:
        model = Prize
        fields = [
            "id",
            "label",
            "basis",
            "rank_from",
            "rank_to",
            "threshold",
            "kind",
            "points",
            "amount",
            "item",
        ]
        read_only_fields = ["id"]


class ContestSerializer(serializers.ModelSerializer):
    """A contest: its dates (or a programme ``period``, whose dates it takes), the eligible group
    (``tiers``, ``regions``, ``operating_models``; empty: any), the ``measure`` (``kpi`` with ``kpi``,
    ``score``, ``growth`` against the same dates a year before), its ``prizes`` (given on write, they
    replace the contest's), ``show_names`` (partners see each other's names on the leaderboard),
    ``for_preferences`` and ``preferred_only``. ``status``: upcoming, running, ended (not closed yet)
    or closed; ``for_you``: for a partner user, whether it targets one of its preferences."""

    tiers = serializers.ListField(child=serializers.ChoiceField(choices=Tier.choices), required=False)
    regions = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    operating_models = serializers.ListField(
        child=serializers.ChoiceField(choices=OperatingModel.choices), required=False
    )
    for_preferences = serializers.ListField(
        child=serializers.ChoiceField(choices=RewardKind.choices), required=False
    )
    kpi = serializers.PrimaryKeyRelatedField(
        queryset=Kpi._base_manager.none(), required=False, allow_null=True
    )
    prizes = PrizeSerializer(many=True, required=False)
    status = serializers.ChoiceField(choices=ContestStatus.choices, read_only=True)
    for_you = serializers.SerializerMethodField()

    class Meta:
        model = Contest
        fields = [
            "id",
            "name",
            "description",
            "period",
            "starts_on",
            "ends_on",
            "tiers",
            "regions",
            "operating_models",
            "measure",
            "kpi",
            "show_names",
            "for_preferences",
            "preferred_only",
            "auto_close_days",
            "prizes",
            "status",
            "for_you",
            "created_at",
            "closed_at",
        ]
        read_only_fields = ["id", "created_at", "closed_at"]
        extra_kwargs = {"starts_on": {"required": False}, "ends_on": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tenant = self.context.get("tenant")
        if tenant is not None:
            self.fields["kpi"].queryset = Kpi.objects.for_tenant(tenant)
            items = RewardItem.objects.for_tenant(tenant).filter(active=True)
            self.fields["prizes"].child.fields["item"].queryset = items

    @extend_schema_field(serializers.BooleanField())
    def get_for_you(self, contest) -> bool:
        preferred = self.context.get("preferred") or []
        return bool(set(preferred) & set(contest.for_preferences or []))


class ContestAwardSerializer(serializers.ModelSerializer):
    """A prize a partner won when the contest closed, with its rank and value then; ``points_entry``
    the ledger row that credited points, ``payout_line`` the draft run's line that pays money,
    ``redemption`` the prize redemption that gives a catalogue item (``redemptions/{id}/``)."""

    prize_label = serializers.CharField(source="prize.label", read_only=True)

    class Meta:
        model = ContestAward
        fields = [
            "id",
            "contest",
            "prize",
            "prize_label",
            "partner",
            "rank",
            "value",
            "points_entry",
            "payout_line",
            "redemption",
            "created_at",
        ]


class StandingSerializer(serializers.Serializer):
    """One line of the leaderboard. For a partner user, another partner's ``partner`` is null and
    ``name`` reads "Partner #rank" unless the contest shows names."""

    rank = serializers.IntegerField()
    partner = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    value = serializers.DecimalField(max_digits=24, decimal_places=2)
    progress = serializers.DecimalField(max_digits=24, decimal_places=2, allow_null=True)
    own = serializers.BooleanField()


class ToReachSerializer(serializers.Serializer):
    prize = serializers.IntegerField()
    label = serializers.CharField()
    missing = serializers.DecimalField(max_digits=24, decimal_places=2)


class OwnStandingSerializer(serializers.Serializer):
    """A partner user's own place: its standing (null while not measured), the prizes it would win
    if the contest closed now, and how much more each other prize needs."""

    standing = StandingSerializer(allow_null=True)
    holds = serializers.ListField(child=serializers.IntegerField())
    to_reach = ToReachSerializer(many=True)


class LeaderboardSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many partners are ranked.")
    page = serializers.IntegerField()
    results = StandingSerializer(many=True)
    own = OwnStandingSerializer(allow_null=True, help_text="A partner user's own place; null for staff.")


def standing_row(standing, *, contest, viewer_partner_id=None) -> dict:
    """A leaderboard line as ``viewer_partner_id`` (a partner user's partner; None for staff) may see it."""
    own = viewer_partner_id is not None and standing.partner_id == viewer_partner_id
    named = viewer_partner_id is None or own or contest.show_names
    return {
        "rank": standing.rank,
        "partner": standing.partner_id if named else None,
        "name": standing.name if named else _("Partner #%(rank)d") % {"rank": standing.rank},
        "value": standing.value,
        "progress": standing.progress,
        "own": own,
    }

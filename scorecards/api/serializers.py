from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.api.fields import TenantPartnerField
from prm.api.fields import PeriodField
from scorecards.cohorts import cohort_words
from scorecards.models import (
    BusinessPlan,
    Kpi,
    PlanActivity,
    PlanGoal,
    ProductRegistration,
    SatisfactionResult,
    Scorecard,
    ScorecardLine,
    ScorecardRevision,
    Target,
)
from scorecards.programme import scorecard_programme_for
from scorecards.selectors import kpi_list
from scorecards.services.plans import plan_progress


class KpiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kpi
        fields = [
            "id",
            "code",
            "name",
            "source",
            "direction",
            "weight",
            "dimension",
            "side",
            "unit",
            "default_target",
            "active",
            "position",
        ]
        extra_kwargs = {
            "side": {"required": False, "help_text": "partner or vendor; a new KPI takes its source's"},
            "unit": {
                "required": False,
                "help_text": "What its targets and actuals are counted in: number, money (the tenant's "
                "currency) or percent (87.17 is 87.17 %); a new KPI takes its source's",
            },
        }


class TargetSerializer(serializers.ModelSerializer):
    partner = TenantPartnerField()
    period = PeriodField()
    kpi = serializers.SlugRelatedField(slug_field="code", queryset=Kpi.objects.none())

    class Meta:
        model = Target
        fields = ["id", "partner", "period", "kpi", "value", "acknowledged_at", "created_at"]
        read_only_fields = ["acknowledged_at", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        tenant = self.context.get("tenant")
        fields["kpi"].queryset = kpi_list(tenant=tenant) if tenant else Kpi.objects.none()
        return fields


class ScorecardLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScorecardLine
        fields = [
            "code",
            "name",
            "dimension",
            "side",
            "direction",
            "unit",
            "target",
            "actual",
            "attainment",
            "weight",
            "points",
        ]
        extra_kwargs = {"unit": {"help_text": "Its KPI's unit when computed: number, money or percent"}}


class CohortWordsMixin(serializers.Serializer):
    """``cohort_description``: whom the card is ranked among, in words (``cohorts.cohort_words``)."""

    cohort_description = serializers.SerializerMethodField(
        help_text="The rank and whom it is among, in the reader's language: \"rank 2 of 7 among tier B "
        'partners in every region: fewer than 3 in EMEA"'
    )

    def get_cohort_description(self, card) -> str:
        if not hasattr(self, "_min_cohort_size"):  # once a list: a list's cards share one serializer
            tenant = self.context.get("tenant") or card.tenant
            self._min_cohort_size = scorecard_programme_for(tenant).min_cohort_size
        return cohort_words(card, self._min_cohort_size)


COHORT_HELP = (
    "Whom rank and cohort_size count: tier_region (the partners of its tier and region), tier (its "
    "tier in every region: its tier and region had fewer than the programme's min_cohort_size) or "
    "channel (every scored partner of the period: its tier had fewer too)"
)


class ScorecardSerializer(CohortWordsMixin, serializers.ModelSerializer):
    """A partner's scorecard of a period: its score, its rank among its cohort (``cohort`` says
    whom, ``cohort_description`` in words) and the change against the previous period."""

    partner_name = serializers.CharField(source="partner.name", read_only=True)
    change = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "partner",
            "partner_name",
            "period",
            "score",
            "tier",
            "region",
            "rank",
            "cohort_size",
            "cohort",
            "cohort_description",
            "previous_score",
            "change",
            "dimensions",
            "computed_at",
            "revision",
            "withdrawn_at",
        ]
        extra_kwargs = {
            "tier": {"allow_blank": True},  # "" for a partner without a tier yet
            "cohort": {"help_text": COHORT_HELP},
            "revision": {
                "help_text": "1 when first computed, one more each time a recompute changed its figures "
                "(the earlier ones: history/)"
            },
            "withdrawn_at": {
                "help_text": "When a recompute of its period no longer produced it (its partner was no "
                "longer scored); null while it is current"
            },
        }


class ScorecardDetailSerializer(ScorecardSerializer):
    kpis = ScorecardLineSerializer(source="lines", many=True, read_only=True)
    conversions = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text="The period's sales in other currencies: [{currency, amount, converted, rate (mean)}]",
    )

    class Meta(ScorecardSerializer.Meta):
        fields = [*ScorecardSerializer.Meta.fields, "kpis", "conversions"]


class RevisionLineSerializer(serializers.Serializer):
    """A line of an earlier revision, as it was (the numbers as decimal strings, as a card's lines)."""

    code = serializers.CharField()
    name = serializers.CharField()
    dimension = serializers.CharField()
    side = serializers.CharField()
    direction = serializers.CharField()
    unit = serializers.CharField(default="number", help_text="number, money or percent")
    target = serializers.CharField(allow_null=True)
    actual = serializers.CharField(allow_null=True)
    attainment = serializers.CharField(allow_null=True)
    weight = serializers.CharField()
    points = serializers.CharField(allow_null=True)


class ScorecardRevisionSerializer(CohortWordsMixin, serializers.ModelSerializer):
    """What a scorecard showed before a recompute changed its figures."""

    change = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True, allow_null=True)
    kpis = RevisionLineSerializer(source="lines", many=True, read_only=True)
    conversions = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = ScorecardRevision
        extra_kwargs = {
            "tier": {"allow_blank": True},
            "cohort": {"help_text": COHORT_HELP},
            "superseded_at": {"help_text": "When the next revision was computed"},
        }
        fields = [
            "revision",
            "score",
            "tier",
            "region",
            "rank",
            "cohort_size",
            "cohort",
            "cohort_description",
            "previous_score",
            "change",
            "dimensions",
            "computed_at",
            "superseded_at",
            "kpis",
            "conversions",
        ]


class PeriodSerializer(serializers.Serializer):
    period = PeriodField()


class ProductRegistrationSerializer(serializers.ModelSerializer):
    partner = TenantPartnerField(required=False)

    class Meta:
        model = ProductRegistration
        fields = [
            "id",
            "partner",
            "customer",
            "product",
            "serial",
            "date",
            "customer_email",
            "customer_language",
            "customer_consent",
            "warranty_ends",
            "next_service",
            "created_at",
        ]
        read_only_fields = ["created_at", "warranty_ends", "next_service"]


class SatisfactionSerializer(serializers.ModelSerializer):
    partner = TenantPartnerField()
    group = serializers.CharField(read_only=True)

    class Meta:
        model = SatisfactionResult
        fields = ["id", "partner", "date", "score", "group", "respondent", "comment"]


class PlanGoalSerializer(serializers.ModelSerializer):
    kpi = serializers.SlugRelatedField(
        slug_field="code", queryset=Kpi.objects.none(), help_text="The KPI's code"
    )

    class Meta:
        model = PlanGoal
        fields = ["kpi", "target", "note"]

    def get_fields(self):
        fields = super().get_fields()
        tenant = self.context.get("tenant")
        if tenant is not None:
            fields["kpi"].queryset = kpi_list(tenant=tenant)
        return fields


class PlanActivitySerializer(serializers.ModelSerializer):
    done = serializers.SerializerMethodField()

    class Meta:
        model = PlanActivity
        fields = ["id", "title", "side", "due", "done", "done_at"]
        read_only_fields = ["id", "done_at"]

    def get_done(self, activity) -> bool:
        return activity.done_at is not None


class GoalProgressSerializer(serializers.Serializer):
    kpi = serializers.CharField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    actual = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    percent = serializers.IntegerField(allow_null=True)


class PlanProgressSerializer(serializers.Serializer):
    goals = GoalProgressSerializer(many=True)
    activities_done = serializers.IntegerField()
    activities = serializers.IntegerField()
    mdf_approved = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)


class BusinessPlanSerializer(serializers.ModelSerializer):
    partner = TenantPartnerField()
    goals = PlanGoalSerializer(many=True, required=False)
    activities = PlanActivitySerializer(many=True, required=False)
    progress = serializers.SerializerMethodField(
        help_text="Each goal's actual so far, activities done, MDF approved"
    )

    class Meta:
        model = BusinessPlan
        fields = [
            "id",
            "partner",
            "year",
            "status",
            "summary",
            "mdf_planned",
            "goals",
            "activities",
            "change_request",
            "proposed_at",
            "agreed_at",
            "progress",
        ]
        read_only_fields = ["status", "change_request", "proposed_at", "agreed_at"]
        validators = []  # one plan per partner and year: the service names the field

    @extend_schema_field(PlanProgressSerializer(allow_null=True))
    def get_progress(self, plan) -> dict | None:
        if not self.context.get("with_progress"):
            return None

        progress = plan_progress(plan)
        return {
            "goals": [
                {
                    "kpi": g["goal"].kpi.code,
                    "target": str(g["goal"].target),
                    "actual": None if g["actual"] is None else str(g["actual"]),
                    "percent": g["percent"],
                }
                for g in progress["goals"]
            ],
            "activities_done": progress["done"],
            "activities": len(progress["activities"]),
            "mdf_approved": None if progress["mdf_approved"] is None else str(progress["mdf_approved"]),
        }


class PlanUpdateSerializer(BusinessPlanSerializer):
    class Meta(BusinessPlanSerializer.Meta):
        read_only_fields = ["partner", "year", "status", "change_request", "proposed_at", "agreed_at"]


class PlanNoteSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="What should change")


class PlanActivityDoneSerializer(serializers.Serializer):
    activity = serializers.IntegerField()
    done = serializers.BooleanField(default=True)


class ProgrammeBenefitSerializer(serializers.Serializer):
    """A right of a tier as the partner may count on it."""

    tier = serializers.CharField()
    kind = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    description = serializers.CharField()
    kept = serializers.ChoiceField(
        choices=["applied", "not_automatic", "contradicted"],
        help_text="applied by a rule, not automatic (the channel manager arranges it), or contradicted by a rule "
        "that gives the tier something else",
    )
    automatic = serializers.BooleanField(help_text="A current rule applies it")
    kept_note = serializers.CharField(
        help_text="In the partner's words: applied automatically, not automatic (ask your channel manager), "
        "or what the rules give instead"
    )


class PartnerProgrammeSerializer(serializers.Serializer):
    """A partner's duties and rights: ``duties`` (each KPI with weight and the latest attainment),
    ``tier_criteria`` (each axis: score, threshold, strong, raise), ``rights`` of its tier and
    ``next_rights`` of the next, what the next tier ``adds``, the ``steps`` there and a ``sentence``."""

    partner = serializers.IntegerField()
    tier = serializers.CharField(allow_null=True)
    next_tier = serializers.CharField(allow_null=True)
    scorecard = serializers.DictField(
        allow_null=True, help_text="{id, period, score} of the latest scorecard"
    )
    duties = serializers.ListField(child=serializers.DictField())
    tier_criteria = serializers.ListField(child=serializers.DictField())
    rights = ProgrammeBenefitSerializer(many=True)
    next_rights = ProgrammeBenefitSerializer(many=True)
    adds = ProgrammeBenefitSerializer(many=True)
    steps = serializers.ListField(child=serializers.DictField(), help_text="[{axis, text, hints}]")
    sentence = serializers.CharField()

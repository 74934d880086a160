"""A visit's script, the partner's concerns, visit plans, and the report of how visits go."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.api.fields import TenantPartnerField
from partners.choices import ObjectionType
from partners.models import VisitPlan
from partners.visiting.script import CONCERNS, STEPS

STEP_CHOICES = [("", "—"), *STEPS.items()]


class StepSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ScriptSerializer(serializers.Serializer):
    """Each step of the playbook's script, in order; a step not given was not recorded."""

    def get_fields(self):
        return {key: StepSerializer(required=False, help_text=str(label)) for key, label in STEPS.items()}


class ConcernsSerializer(serializers.Serializer):
    """The partner's four concerns, each rated 1 (not at all convinced) to 5 (fully)."""

    def get_fields(self):
        return {
            key: serializers.IntegerField(min_value=1, max_value=5, required=False, help_text=str(label))
            for key, label in CONCERNS.items()
        }


@extend_schema_field({**{"type": "integer", "nullable": True}, "description": "The visit plan carried out"})
class PlanField(serializers.Field):
    """The prepared visit a visit carries out: its id in, its id (or null) out."""

    def __init__(self, **kwargs):
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, visit):
        plan = getattr(visit, "plan", None) if visit.pk else None
        return plan.pk if plan is not None else None

    def to_internal_value(self, data):
        if data is None:
            return {"plan_id": None}
        if isinstance(data, bool) or not isinstance(data, int):
            raise serializers.ValidationError("A visit plan's id.")
        return {"plan_id": data}


class VisitPlanSerializer(serializers.ModelSerializer):
    partner = TenantPartnerField()
    checklist = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text="The programme's checklist when the plan was made: [{item, done}]",
    )
    done = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        write_only=True,
        required=False,
        help_text="Tick the checklist: the positions (0-based) of the items now done; the others are not.",
    )
    prepared = serializers.BooleanField(read_only=True, help_text="Every item of the checklist is done")
    planned_by = serializers.CharField(
        source="planned_by.username", read_only=True, default=None, allow_null=True
    )
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = VisitPlan
        fields = [
            "id",
            "partner",
            "partner_name",
            "date",
            "area",
            "goal",
            "checklist",
            "done",
            "prepared",
            "visit",
            "planned_by",
            "created_at",
        ]
        read_only_fields = ["visit", "created_at"]


class VisitPlanUpdateSerializer(VisitPlanSerializer):
    partner = serializers.IntegerField(source="partner_id", read_only=True)

    class Meta(VisitPlanSerializer.Meta):
        read_only_fields = ["partner", "visit", "created_at"]


class VisitAreaSerializer(serializers.Serializer):
    area = serializers.CharField()
    plans = VisitPlanSerializer(many=True)


class ConcernAverageSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=list(CONCERNS))
    label = serializers.CharField()
    average = serializers.FloatField(allow_null=True)


class StepRowSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=list(STEPS))
    label = serializers.CharField()
    reached = serializers.IntegerField(help_text="Visits that recorded the step as done")
    stopped = serializers.IntegerField(help_text="Visits that missed their goal at this step")
    objections = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=f"Objections raised at the step by type: {ObjectionType.values}",
    )
    objections_total = serializers.IntegerField()


class VisitStepReportSerializer(serializers.Serializer):
    period = serializers.CharField()
    visits = serializers.IntegerField()
    scripted = serializers.IntegerField(help_text="Visits recorded by the script")
    goal_met = serializers.IntegerField(help_text="Scripted visits that met their goal")
    concerns = ConcernAverageSerializer(many=True)
    steps = StepRowSerializer(many=True)

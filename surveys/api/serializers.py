from django.utils import timezone
from rest_framework import serializers

from ..choices import MAX_QUESTIONS, QuestionKind
from ..models import CustomerSurvey, PartnerSurvey


class CustomerSurveySerializer(serializers.ModelSerializer):
    """A customer survey: whom it asked, after what, and the answer (``score`` null until answered)."""

    partner_name = serializers.CharField(source="partner.name", read_only=True)
    group = serializers.CharField(read_only=True, allow_null=True, help_text="promoter, passive or detractor")

    class Meta:
        model = CustomerSurvey
        fields = [
            "id",
            "partner",
            "partner_name",
            "source",
            "registration",
            "deal",
            "customer",
            "language",
            "sent_on",
            "reminded_on",
            "expires_on",
            "answered_at",
            "score",
            "group",
            "comment",
        ]
        read_only_fields = fields


class QuestionSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=QuestionKind.choices, default=QuestionKind.SCALE)


class PartnerSurveySerializer(serializers.ModelSerializer):
    """A partner survey round: the recommend question (always first, 0–10) and up to five more.
    ``tiers``, ``regions`` and ``operating_models`` choose the partners (empty: all)."""

    questions = QuestionSerializer(many=True, required=False, max_length=MAX_QUESTIONS)
    invited = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)

    class Meta:
        model = PartnerSurvey
        fields = [
            "id",
            "title",
            "questions",
            "tiers",
            "regions",
            "operating_models",
            "link_days",
            "created_at",
            "sent_at",
            "invited",
            "answered",
        ]
        read_only_fields = ["created_at", "sent_at", "invited", "answered"]


class SendResultSerializer(serializers.Serializer):
    invited = serializers.IntegerField()


class GroupSerializer(serializers.Serializer):
    """One group's figures; when ``hidden`` (fewer answers than the minimum) only ``key``, ``label``,
    ``answers`` and ``hidden`` are given."""

    key = serializers.CharField()
    label = serializers.CharField()
    answers = serializers.IntegerField()
    hidden = serializers.BooleanField()
    promoters = serializers.IntegerField(required=False)
    passives = serializers.IntegerField(required=False)
    detractors = serializers.IntegerField(required=False)
    nps = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True, required=False)
    comments = serializers.ListField(child=serializers.CharField(), required=False)


def group_data(group) -> dict:
    data = {"key": group.key, "label": str(group.label), "answers": group.answers, "hidden": group.hidden}
    if not group.hidden:
        data.update(
            promoters=group.promoters,
            passives=group.passives,
            detractors=group.detractors,
            nps=group.nps,
            comments=group.comments,
        )
    return GroupSerializer(data).data


class ResultsSerializer(serializers.Serializer):
    minimum = serializers.IntegerField(help_text="The smallest group whose answers are shown.")
    overall = GroupSerializer()
    by_tier = GroupSerializer(many=True)
    by_region = GroupSerializer(many=True)
    by_operating_model = GroupSerializer(many=True)
    questions = serializers.ListField(child=serializers.DictField())


class TrendPointSerializer(serializers.Serializer):
    survey = serializers.IntegerField()
    title = serializers.CharField()
    sent_at = serializers.DateTimeField()
    answers = serializers.IntegerField()
    hidden = serializers.BooleanField()
    promoters = serializers.IntegerField(allow_null=True)
    passives = serializers.IntegerField(allow_null=True)
    detractors = serializers.IntegerField(allow_null=True)
    nps = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class MySurveySerializer(serializers.ModelSerializer):
    """A round the caller was invited to: its questions (after the recommend question, always
    first) and the caller's own invitation: until when it takes an answer, and ``state``: ``open``,
    ``answered`` or ``expired``."""

    questions = QuestionSerializer(many=True, read_only=True)
    expires_on = serializers.DateField(read_only=True)
    answered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = PartnerSurvey
        fields = ["id", "title", "questions", "sent_at", "expires_on", "answered_at", "state"]
        read_only_fields = fields

    def get_state(self, survey) -> str:
        if survey.answered_at:
            return "answered"
        return "expired" if survey.expires_on < timezone.localdate() else "open"


class AnswerSerializer(serializers.Serializer):
    """One answer: ``score`` 0–10 to the recommend question, ``answers`` to the round's other
    questions in their order (a number 0–10 for a scale, true/false for yes/no, a text; null to
    skip one), and an optional ``comment``."""

    score = serializers.IntegerField(min_value=0, max_value=10)
    answers = serializers.ListField(
        child=serializers.JSONField(allow_null=True), required=False, max_length=MAX_QUESTIONS
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveySource(models.TextChoices):
    """What a customer survey follows."""

    REGISTRATION = "registration", _("A registered product")
    DEAL = "deal", _("A won deal")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale 0–10")
    YESNO = "yesno", _("Yes or no")
    TEXT = "text", _("Text")


class Group(models.TextChoices):
    """Net promoter groups: 9–10 promoters, 7–8 passives, 0–6 detractors."""

    PROMOTER = "promoter", _("Promoters")
    PASSIVE = "passive", _("Passives")
    DETRACTOR = "detractor", _("Detractors")


def group_of(score: int) -> str:
    return Group.PROMOTER if score >= 9 else Group.PASSIVE if score >= 7 else Group.DETRACTOR


#: the question every partner survey round asks first
RECOMMEND_QUESTION = _("How likely are you to recommend our partner programme?")
#: the most questions a round asks after the first
MAX_QUESTIONS = 5

"""The vocabularies of contests: what a contest measures, how a prize is won and what it is."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    #: one KPI's actual on the scorecards of the contest's period
    KPI = "kpi", _("A KPI of the scorecard")
    #: the scorecard's weighted score of the contest's period
    SCORE = "score", _("The scorecard's score")
    #: revenue in the contest's dates against the same dates a year before, in %
    GROWTH = "growth", _("Growth of revenue against the same period last year")


class PrizeBasis(models.TextChoices):
    RANK = "rank", _("Ranks")
    THRESHOLD = "threshold", _("Threshold")


class PrizeKind(models.TextChoices):
    POINTS = "points", _("Points")
    MONEY = "money", _("Money, in the next payout run")
    ITEM = "item", _("A reward of the catalogue")


class ContestStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    RUNNING = "running", _("Running")
    ENDED = "ended", _("Ended, not closed yet")
    CLOSED = "closed", _("Closed")

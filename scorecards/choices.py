"""Stored values of scorecards/."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KpiSource(models.TextChoices):
    SALES = "sales", _("Sales revenue")
    GROWTH = "growth", _("Revenue growth against the previous period")
    DEAL_REGISTRATIONS = "deal_registrations", _("Deal registrations")
    WIN_RATE = "win_rate", _("Win rate of closed deal registrations")
    VISITS = "visits", _("Visits and meetings")
    TRAINING = "training", _("Training completion")
    PRODUCT_REGISTRATIONS = "product_registrations", _("Product registrations")
    SATISFACTION = "satisfaction", _("Customer satisfaction (NPS)")
    MANUAL = "manual", _("Entered by hand")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Dimension(models.TextChoices):
    ACTIVATION = "activation", _("Channel activation")
    PERFORMANCE = "performance", _("Channel performance")
    ENGAGEMENT = "engagement", _("Customer engagement and insight")

"""Stored values of scorecards/."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KpiSource(models.TextChoices):
    SALES = "sales", _("Sales revenue")
    GROWTH = "growth", _("Revenue growth against the previous period")
    DEAL_REGISTRATIONS = "deal_registrations", _("Deal registrations")
    WIN_RATE = "win_rate", _("Win rate of closed deal registrations")
    VISITS = "visits", _("The vendor's visits and meetings with the partner")
    ANSWERED_IN_TIME = "answered_in_time", _("Deal registrations the vendor answered in time (%)")
    MDF_APPROVED = "mdf_approved", _("Market development funds approved")
    TRAINING = "training", _("Training completion")
    PRODUCT_REGISTRATIONS = "product_registrations", _("Product registrations")
    SATISFACTION = "satisfaction", _("Customer satisfaction (NPS)")
    LEADS_ACCEPTED = "leads_accepted", _("Leads accepted (%)")
    REQUESTS_ANSWERED_IN_TIME = "requests_answered", _("Partner requests the vendor answered in time (%)")
    MANUAL = "manual", _("Entered by hand")


class Side(models.TextChoices):
    """Whose effort a KPI measures: activation is what the vendor does for the partner as much as
    what the partner does."""

    PARTNER = "partner", _("The partner's side")
    VENDOR = "vendor", _("The vendor's side")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed to the partner")
    AGREED = "agreed", _("Agreed")


#: sources whose values add up over quarters (a year's goal on them is a total); the others are rates
ADDITIVE_SOURCES = {
    KpiSource.SALES,
    KpiSource.DEAL_REGISTRATIONS,
    KpiSource.VISITS,
    KpiSource.PRODUCT_REGISTRATIONS,
    KpiSource.MDF_APPROVED,
}

#: sources that measure what the vendor does for the partner (a new KPI on them is on the vendor's side)
VENDOR_SOURCES = {
    KpiSource.VISITS,
    KpiSource.ANSWERED_IN_TIME,
    KpiSource.MDF_APPROVED,
    KpiSource.REQUESTS_ANSWERED_IN_TIME,
}


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Dimension(models.TextChoices):
    ACTIVATION = "activation", _("Channel activation")
    PERFORMANCE = "performance", _("Channel performance")
    ENGAGEMENT = "engagement", _("Customer engagement and insight")

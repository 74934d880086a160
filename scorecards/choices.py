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


class KpiUnit(models.TextChoices):
    """What a KPI's target and actual are counted in: how pages, PDFs and lists show them."""

    NUMBER = "number", _("Number")
    MONEY = "money", _("Money (the tenant's currency)")
    PERCENT = "percent", _("Percent")


#: the unit a KPI on each source is counted in (a new KPI takes its source's; manual ones: a number)
UNIT_OF_SOURCE = {
    KpiSource.SALES: KpiUnit.MONEY,
    KpiSource.MDF_APPROVED: KpiUnit.MONEY,
    KpiSource.GROWTH: KpiUnit.PERCENT,
    KpiSource.WIN_RATE: KpiUnit.PERCENT,
    KpiSource.ANSWERED_IN_TIME: KpiUnit.PERCENT,
    KpiSource.TRAINING: KpiUnit.PERCENT,
    KpiSource.LEADS_ACCEPTED: KpiUnit.PERCENT,
    KpiSource.REQUESTS_ANSWERED_IN_TIME: KpiUnit.PERCENT,
}


def unit_of_source(source: str) -> str:
    """The unit of a KPI measured from ``source``: money, percent, else a number."""
    return UNIT_OF_SOURCE.get(source, KpiUnit.NUMBER)


class Cohort(models.TextChoices):
    """Whom a scorecard is ranked among: the partners of its tier and region, widened to its tier
    in every region, then to the whole channel, when the narrower cohort has fewer members than the
    programme's ``min_cohort_size``."""

    TIER_REGION = "tier_region", _("Same tier and region")
    TIER = "tier", _("Same tier, every region")
    CHANNEL = "channel", _("The whole channel")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Dimension(models.TextChoices):
    ACTIVATION = "activation", _("Channel activation")
    PERFORMANCE = "performance", _("Channel performance")
    ENGAGEMENT = "engagement", _("Customer engagement and insight")

"""The words of the partner life cycle, as stored values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PROSPECTING = "prospecting", _("Prospecting")
    FIRST_TALKS = "first_talks", _("First talks")
    SELECTION = "selection", _("Selection")
    STRATEGIC = "strategic", _("Strategic")
    SIGNED = "signed", _("Signed")
    CERTIFIED = "certified", _("Certified")
    LOST = "lost", _("Lost")
    DORMANT = "dormant", _("Dormant")


#: The forward path, in order. Lost and dormant stand beside it.
PIPELINE = [
    Stage.PROSPECTING,
    Stage.FIRST_TALKS,
    Stage.SELECTION,
    Stage.STRATEGIC,
    Stage.SIGNED,
    Stage.CERTIFIED,
]
INACTIVE = [Stage.LOST, Stage.DORMANT]


class Source(models.TextChoices):
    TRADE_SHOW = "trade_show", _("Trade show / industry event")
    COMPETITOR_EVENT = "competitor_event", _("Competitor event")
    REFERRAL = "referral", _("Referral")
    TENDER_SEARCH = "tender_search", _("Tender-award search")
    COLD_CANVASS = "cold_canvass", _("Cold canvassing")
    INBOUND = "inbound", _("Inbound application")
    OTHER = "other", _("Other")


class OperatingModel(models.TextChoices):
    """How a partner does business: a type that groups partners, not a quality to rate."""

    PROJECT = "project", _("Project and relationship driven")
    PRODUCT = "product", _("Product distribution")


class ReferralLevel(models.TextChoices):
    BUSINESS = "business", _("Business")
    FRIENDSHIP = "friendship", _("Friendship")
    PARTNERSHIP = "partnership", _("Partnership")


class Tier(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class VisitKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    DEMO = "demo", _("Demo")
    HQ_VISIT = "hq_visit", _("Headquarters visit")
    REFERENCE_VISIT = "reference_visit", _("Reference-site visit")
    LEADERSHIP = "leadership", _("Senior-leadership meeting")


class ObjectionType(models.TextChoices):
    DEMAND = "demand", _("Demand")
    FINANCIAL = "financial", _("Financial")
    PRICE = "price", _("Price")
    PRODUCT = "product", _("Product")
    BRAND = "brand", _("Brand")
    SERVICE = "service", _("Service")


class AssessmentKind(models.TextChoices):
    SELECTION = "selection", _("Selection")
    STRATEGIC = "strategic", _("Strategic review")
    TIER = "tier", _("Tier assessment")


class DealStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Registrations that still protect the partner's claim on a customer.
OPEN_DEAL_STATUSES = [DealStatus.PENDING, DealStatus.APPROVED]


class ReferenceKind(models.TextChoices):
    """The tenant-managed lists values are chosen from (so cohorts do not split on spelling)."""

    REGION = "region", _("Regions")
    INDUSTRY = "industry", _("Industries")
    PRODUCT = "product", _("Products")
    COMPETING_LINE = "competing_line", _("Competing lines")
    REFERRER = "referrer", _("Referrers")


class Health(models.TextChoices):
    """A partner's early-warning signal, recomputed with its tier."""

    OK = "ok", _("OK")
    WATCH = "watch", _("Watch")
    AT_RISK = "at_risk", _("At risk")


class BenefitKind(models.TextChoices):
    """What a tier gives; the value's unit is in each label."""

    MARGIN_POINTS = "margin_points", _("Discount or margin (points)")
    MDF_SHARE = "mdf_share", _("MDF budget (percent of last period's revenue)")
    SUPPORT = "support", _("Support (answer within hours)")
    LEAD_PRIORITY = "lead_priority", _("Lead priority (weight)")
    MARKETING = "marketing", _("Marketing assets and co-branding")
    EVENT_SEATS = "event_seats", _("Event seats")
    TRAINING_SEATS = "training_seats", _("Training seats")
    OTHER = "other", _("Other")

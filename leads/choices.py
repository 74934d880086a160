from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")  # not offered: no rule or no partner matched; in the managers' queue
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")  # by every partner the rules offered it to
    EXPIRED = "expired", _("Expired")  # the last partner offered did not answer in time
    CONVERTED = "converted", _("Converted")  # became the partner's deal registration


class OfferOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Not answered in time")


class LeadSource(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")
    FORM = "form", _("Find-a-partner form")


#: a lead counts against a partner's cap while offered to it or accepted and not yet converted
OPEN_STATUSES = (LeadStatus.OFFERED, LeadStatus.ACCEPTED)
DEFAULT_TIER_WEIGHTS = {"A": 4, "B": 3, "C": 2, "D": 1}

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What a partner raises."""

    REQUEST = "request", _("Request")
    IDEA = "idea", _("Idea")
    COMPLAINT = "complaint", _("Complaint")


class Status(models.TextChoices):
    """Open: waits for the vendor; answered: the vendor replied last; closed: either side closed it
    (a partner's reply opens it again)."""

    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class AnswerUnit(models.TextChoices):
    """The unit of the programme's answer time: weekdays, or hours of weekdays."""

    DAYS = "days", _("business days")
    HOURS = "hours", _("business hours")

"""Stored values of incentives/."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    COMMISSION = "commission", _("Commission")
    BONUS = "bonus", _("Bonus")
    REBATE = "rebate", _("Rebate")
    SPIF = "spif", _("SPIF")
    MDF = "mdf", _("Market development funds")
    POINTS = "points", _("Points")
    LOYALTY_TIER = "loyalty_tier", _("Loyalty: consecutive periods at a tier")
    LOYALTY_YEARS = "loyalty_years", _("Loyalty: years of partnership")
    SUSTAINED_GROWTH = "sustained_growth", _("Sustained growth")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    EXPORTED = "exported", _("Exported")
    PAID = "paid", _("Paid")


#: statuses of a run that is final (approved and after): never recomputed or edited
FINAL_RUN_STATUSES = (RunStatus.APPROVED, RunStatus.EXPORTED, RunStatus.PAID)


class MdfStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")

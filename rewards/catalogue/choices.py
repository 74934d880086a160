from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    GIFT = "gift", _("Gift")
    TRAVEL = "travel", _("Travel")
    TRAINING_SEAT = "training_seat", _("Training seat")
    MARKETING_SERVICE = "marketing_service", _("Marketing service")
    DONATION = "donation", _("Donation to a cause")


class RedemptionStatus(models.TextChoices):
    """A redemption's life: ``requested`` (points reserved) → ``approved`` → ``ordered`` →
    ``shipped`` (shipped or booked) → ``delivered``; or ``refused`` / ``cancelled`` (points given
    back)."""

    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    ORDERED = "ordered", _("Ordered")
    SHIPPED = "shipped", _("Shipped or booked")
    DELIVERED = "delivered", _("Delivered")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


#: the fulfilment steps, each only from the one before it
FULFILMENT = {
    RedemptionStatus.ORDERED: RedemptionStatus.APPROVED,
    RedemptionStatus.SHIPPED: RedemptionStatus.ORDERED,
    RedemptionStatus.DELIVERED: RedemptionStatus.SHIPPED,
}
#: the points of a redemption in these states are given back (its ledger rows add up to 0)
CLOSED_WITHOUT = (RedemptionStatus.REFUSED, RedemptionStatus.CANCELLED)
#: a redemption may be cancelled until it is shipped or booked
CANCELLABLE = (RedemptionStatus.REQUESTED, RedemptionStatus.APPROVED, RedemptionStatus.ORDERED)
#: waiting for a manager's decision, or being fulfilled
OPEN = (
    RedemptionStatus.REQUESTED,
    RedemptionStatus.APPROVED,
    RedemptionStatus.ORDERED,
    RedemptionStatus.SHIPPED,
)

from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class CatalogueAudit(AuditActions):
    POINTS_CREDITED = "points.credited", _("Points credited or debited")
    POINTS_EXPIRED = "points.expired", _("Points expired")
    REWARD_SAVED = "reward.saved", _("Reward saved in the catalogue")
    REDEMPTION_REQUESTED = "redemption.requested", _("Points redeemed (reserved)")
    REDEMPTION_DECIDED = "redemption.decided", _("Redemption approved or refused")
    REDEMPTION_GRANTED = "redemption.granted", _("Reward granted as a prize")
    PRIZE_STOCKED = "redemption.stocked", _("Stock arrived for a prize that waited for it")
    REDEMPTION_FULFILLED = "redemption.fulfilled", _("Redemption ordered, shipped or delivered")
    REDEMPTION_CANCELLED = "redemption.cancelled", _("Redemption cancelled")

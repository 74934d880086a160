from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class AwardAudit(AuditActions):
    AWARD_GRANTED = "award.granted", _("Award granted")
    AWARD_REVOKED = "award.revoked", _("Award revoked")
    CATEGORY_SAVED = "award_category.saved", _("Award category saved")

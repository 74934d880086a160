from django.utils.translation import gettext_lazy as _

from prm.audit.actions import AuditActions


class PricingAudit(AuditActions):
    PRICES_IMPORTED = "price_list.imported", _("Price list imported")

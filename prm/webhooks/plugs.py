"""What webhooks plugs in (see ``prm.plugs``)."""

from django.utils.translation import gettext_lazy as _

from prm.notifications.registry import Category
from prm.portal.registry import NavItem
from prm.tenancy.choices import Role

from .audit_actions import WebhookAudit

audit_actions = [WebhookAudit]

notification_categories = [Category("webhooks", _("Webhook endpoints disabled after failing (admins)"))]

nav = [
    NavItem(
        "webhooks",
        _("Webhooks"),
        "webhooks:list",
        {Role.ADMIN},
        order=960,
        section="programme",
        also=("webhooks:detail",),
    )
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "prm.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from prm.audit.actions import register_actions
        from prm.webhooks.audit_actions import WebhookAudit

        register_actions(WebhookAudit)
        from prm.notifications.registry import register_category
        from prm.portal.registry import register_nav
        from prm.tenancy.choices import Role

        register_category("webhooks", _("Webhook endpoints disabled after failing (admins)"))
        register_nav(
            "webhooks",
            _("Webhooks"),
            "webhooks:list",
            {Role.ADMIN},
            order=960,
            section="programme",
            also=("webhooks:detail",),
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "prm.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from prm.portal.registry import register_nav
        from prm.tenancy.choices import ALL_ROLES

        from .registry import register_category

        register_category("invitations", _("Invitations"))
        register_nav(
            "notifications",
            _("My notifications"),
            "notifications:preferences",
            ALL_ROLES,
            order=990,
            section="programme",
        )

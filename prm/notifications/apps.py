from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The categories apps may declare, and what notifications plugs in, are in
    ``prm/notifications/plugs.py``."""

    name = "prm.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

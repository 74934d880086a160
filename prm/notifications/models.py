from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.scoping import TenantOwned


class NotificationPreference(TenantOwned):
    """A category a user turned off (or back on) in one tenant; no row means on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("category"), max_length=40)
    enabled = models.BooleanField(_("send"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user", "category"], name="preference_unique")
        ]

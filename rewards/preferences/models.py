"""A partner's reward preferences, stated by its partner admin."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from prm.tenancy.scoping import TenantOwned


class RewardPreference(TenantOwned):
    """What kind of reward a partner prefers: ``kinds``, values of ``RewardKind``, most preferred
    first (empty: unstated). One row per partner, set by the partner's admin."""

    partner = models.OneToOneField(
        Partner, on_delete=models.CASCADE, related_name="reward_preference", verbose_name=_("partner")
    )
    kinds = models.JSONField(_("preferred rewards, most preferred first"), default=list, blank=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("reward preference")
        verbose_name_plural = _("reward preferences")

    def __str__(self):
        return f"{self.partner}: {', '.join(self.kinds)}"

"""Every tier a partner was given, with the axis scores and inputs behind it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.choices import Health, Tier
from partners.models.partner import Partner
from partners.tiering.explanation import explain
from prm.tenancy.scoping import TenantOwned


class TierChange(TenantOwned):
    """A change of a partner's tier: computed (with its reasons) or a manager's override."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tier_changes")
    from_tier = models.CharField(_("from"), max_length=1, choices=Tier.choices, blank=True)
    to_tier = models.CharField(_("to"), max_length=1, choices=Tier.choices, blank=True)
    is_override = models.BooleanField(_("manager override"), default=False)
    #: {"competitiveness": {"score": 71.0, "strong": true, "measured": …, "assessed": …, "inputs": {…}}, …}
    axes = models.JSONField(_("axis scores"), default=dict, blank=True)
    reason = models.TextField(_("why"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    @property
    def description(self) -> str:
        """Why, in the reader's language: the manager's reason, or the computed axes in words.

        Computed changes keep their facts (``axes``), not a sentence, so they read in any
        language; rows stored with an English sentence by an earlier version show it as it is.
        """
        if self.is_override:
            return self.reason or str(_("Override removed."))
        if self.reason or not (self.axes or {}).get("axes"):
            return self.reason
        return explain(self.axes, self.to_tier)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")


class HealthChange(TenantOwned):
    """A change of a partner's health signal, with the reasons it had then."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="health_changes")
    from_health = models.CharField(_("from"), max_length=10, choices=Health.choices)
    to_health = models.CharField(_("to"), max_length=10, choices=Health.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("health change")
        verbose_name_plural = _("health changes")

"""Partners of a tenant, and the link from partner users to their partner."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import Membership
from prm.tenancy.scoping import TenantOwned


class Partner(TenantOwned):
    """A reseller, distributor, dealer or integrator in one tenant's programme."""

    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [models.Index(fields=["tenant", "name"])]

    def __str__(self):
        return self.name


class PartnerUser(TenantOwned):
    """A partner user's membership belongs to exactly one partner of the same tenant."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="partner_link", verbose_name=_("membership")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="users", verbose_name=_("partner")
    )

    class Meta:
        verbose_name = _("partner user")
        verbose_name_plural = _("partner users")

    def __str__(self):
        return f"{self.membership.user} → {self.partner}"

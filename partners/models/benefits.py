"""What each tier gives: the rights that match the duties a partner is measured on."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.choices import BenefitKind, Tier
from prm.tenancy.scoping import TenantOwned


class TierBenefit(TenantOwned):
    """One right of a tier, with a short description partners read. ``value`` is the number other
    parts of the programme use (margin points, MDF budget share in %, support response hours,
    lead priority weight, seats); ``other`` benefits are words only. One of each kind per tier
    (``other`` may repeat)."""

    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=BenefitKind.choices)
    value = models.DecimalField(
        _("value"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    description = models.CharField(_("what the partner gets"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["tier", "position", "kind", "id"]
        verbose_name = _("tier benefit")
        verbose_name_plural = _("tier benefits")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "tier", "kind"],
                condition=~models.Q(kind="other"),
                name="tier_benefit_unique",
            ),
        ]

    def __str__(self):
        return f"{self.tier}: {self.description}"

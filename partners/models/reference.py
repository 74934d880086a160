"""The tenant's reference lists: regions, industries, products, competing lines, referrers."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.choices import ReferenceKind
from prm.tenancy.scoping import TenantOwned


class ReferenceItem(TenantOwned):
    """One value of a tenant's list, with the other spellings that mean it (``aliases``).

    Products carry their list price and, for the installed base, the warranty and service intervals.
    """

    kind = models.CharField(_("list"), max_length=20, choices=ReferenceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(_("other spellings"), default=list, blank=True)
    price = models.DecimalField(
        _("list price"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"), null=True, blank=True)
    service_months = models.PositiveSmallIntegerField(_("service interval (months)"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind", "name"], name="reference_item_unique")
        ]

    def __str__(self):
        return self.name

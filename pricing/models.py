"""The price list: one price per product, currency and validity, and each tier's terms on it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.choices import Tier
from prm.tenancy.scoping import TenantOwned


class ListPrice(TenantOwned):
    """The list price of ``product`` in ``currency`` from ``valid_from`` to ``valid_to`` (inclusive;
    open-ended without it). The validities of one product and currency never overlap
    (``services.prices_import`` refuses it), so a sale's day finds at most one price."""

    product = models.CharField(_("product"), max_length=200)
    currency = models.CharField(_("currency"), max_length=3)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    list_price = models.DecimalField(_("list price"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("list price")
        verbose_name_plural = _("list prices")
        ordering = ["product", "currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "product", "currency", "valid_from"], name="pricing_list_price_once"
            ),
            models.CheckConstraint(condition=models.Q(list_price__gt=0), name="pricing_list_price_positive"),
        ]

    def __str__(self):
        return f"{self.product} {self.list_price} {self.currency}"


class TierTerms(TenantOwned):
    """A tier's terms on a list price: the largest discount off it a partner of the tier may give
    on a registered deal (``max_discount``, a percentage) and the lowest unit price it may resell at
    (``minimum_price``, in the list price's currency)."""

    price = models.ForeignKey(
        ListPrice, on_delete=models.CASCADE, related_name="terms", verbose_name=_("price")
    )
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices)
    max_discount = models.DecimalField(_("largest discount (%)"), max_digits=5, decimal_places=2)
    minimum_price = models.DecimalField(_("minimum resale price"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("tier terms")
        verbose_name_plural = _("tier terms")
        ordering = ["price", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "price", "tier"], name="pricing_tier_terms_once"),
            models.CheckConstraint(
                condition=models.Q(max_discount__gte=0, max_discount__lte=100),
                name="pricing_discount_percent",
            ),
            models.CheckConstraint(condition=models.Q(minimum_price__gte=0), name="pricing_minimum_positive"),
        ]

    def __str__(self):
        return f"{self.price} {self.tier}"

    @property
    def band_floor(self):
        """The lowest deal amount within the band: the list price less the largest discount."""
        return (self.price.list_price * (100 - self.max_discount) / 100).quantize(self.price.list_price)

"""Customer engagement inputs: product registrations and satisfaction survey results."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from prm.tenancy.scoping import TenantOwned


class ProductRegistration(TenantOwned):
    """A product or warranty registration a partner submits for its end customer."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="product_registrations")
    customer = models.CharField(_("customer"), max_length=200)
    product = models.CharField(_("product"), max_length=200)
    serial = models.CharField(_("serial number"), max_length=100)
    date = models.DateField(_("date"), default=timezone.localdate)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("product registration")
        verbose_name_plural = _("product registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "product", "serial"], name="product_registration_unique"
            ),
        ]

    def __str__(self):
        return f"{self.product} {self.serial}"


class SatisfactionResult(TenantOwned):
    """One customer's answer (0–10) about a partner: promoter 9–10, passive 7–8, detractor 0–6."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="satisfaction_results")
    date = models.DateField(_("date"), default=timezone.localdate)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    respondent = models.CharField(_("respondent"), max_length=200, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("satisfaction result")
        verbose_name_plural = _("satisfaction results")

    @property
    def group(self) -> str:
        return "promoter" if self.score >= 9 else "passive" if self.score >= 7 else "detractor"

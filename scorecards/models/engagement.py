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
    #: The end customer's address and language for service reminders, and whether it agreed to them.
    customer_email = models.EmailField(_("customer e-mail"), blank=True)
    customer_language = models.CharField(_("customer's language"), max_length=10, blank=True)
    customer_consent = models.BooleanField(
        _("the customer agreed to reminders"), default=False, db_default=False
    )
    #: From the product catalogue (reference list ``product``: warranty and service months).
    warranty_ends = models.DateField(_("warranty ends"), null=True, blank=True)
    next_service = models.DateField(_("next service"), null=True, blank=True)
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
        indexes = [
            models.Index(fields=["tenant", "next_service"]),
            models.Index(fields=["tenant", "warranty_ends"]),
        ]

    def __str__(self):
        return f"{self.product} {self.serial}"


class ServiceReminder(TenantOwned):
    """A reminder sent before a registered product's service or warranty end, and the sale it
    turned into (the partner's next sale to that customer after it, found by the daily job)."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("Service due")
        WARRANTY = "warranty", _("Warranty ends")

    registration = models.ForeignKey(ProductRegistration, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    sent_on = models.DateField(_("sent on"), default=timezone.localdate)
    to_customer = models.BooleanField(_("sent to the customer too"), default=False)
    sale = models.ForeignKey(
        "partners.Sale",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sale it turned into"),
    )

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("service reminder")
        verbose_name_plural = _("service reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "registration", "kind", "due_on"], name="reminder_once"
            ),
        ]


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

"""What partners sell (sales records) and register (deal registrations)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.choices import DealStatus
from partners.models.partner import Partner
from partners.selling.customers import normalise_customer
from prm.currency.fields import ConvertedAmountField
from prm.tenancy.scoping import TenantManager, TenantOwned, TenantQuerySet


class SaleQuerySet(TenantQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Every sale written carries its normalised customer (see ``Sale.customer_key``)."""
        objs = list(objs)
        for sale in objs:
            sale.customer_key = normalise_customer(sale.customer)
        return super().bulk_create(objs, *args, **kwargs)


class SaleManager(TenantManager.from_queryset(SaleQuerySet)):
    pass


class Sale(TenantOwned):
    """A sale booked by a partner. Returns are negative amounts (they claw back)."""

    external_id = models.CharField(_("external id"), max_length=100)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="sales")
    date = models.DateField(_("date"))
    product = models.CharField(_("product"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=Decimal("1"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    customer = models.CharField(_("customer"), max_length=200, blank=True)
    #: ``normalise_customer(customer)``, kept when the sale is written (``save`` and ``bulk_create``)
    #: so that audits such as the payout run's duplicate-sale check group by it in SQL.
    customer_key = models.CharField(
        _("normalised customer"), max_length=200, blank=True, editable=False, default="", db_default=""
    )
    self_sourced = models.BooleanField(_("found by the partner"), default=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    #: The sale converted when it is booked: ``rate`` is the tenant's rate of the sale's date (the
    #: latest on or before it; 1 in the tenant's own currency; NULL when no rate converts it) and
    #: ``converted`` is ``amount * rate`` in the tenant's currency, unrounded (NULL without a rate; at
    #: home the amount itself, two decimals).
    #: The database sets both on every write of ``amount``, ``currency`` or ``date`` (the trigger of
    #: partners 0027, so imports, COPY and bulk inserts too); a rate added later re-converts the
    #: sales it applies to (``partners.selling.conversion``). Every computation sums ``converted``.
    rate = models.DecimalField(
        _("exchange rate"), max_digits=18, decimal_places=8, null=True, blank=True, editable=False
    )
    converted = ConvertedAmountField(
        _("amount in the programme's currency"),
        max_digits=32,
        decimal_places=10,
        null=True,
        blank=True,
        editable=False,
    )

    objects = SaleManager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "external_id"], name="sale_external_id_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "partner", "date"]),
            # the API's keyset pages of sales/ (newest first)
            models.Index(fields=["tenant", "-date", "-id"], name="sale_list_keyset"),
            # returns (negative sales) of a window, for the health signal: a few among millions
            models.Index(fields=["tenant", "date"], condition=models.Q(amount__lt=0), name="sale_returns"),
        ]

    def __str__(self):
        return f"{self.external_id} · {self.amount} {self.currency}"

    def save(self, *args, **kwargs):
        self.customer_key = normalise_customer(self.customer)
        if kwargs.get("update_fields") is not None and "customer" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "customer_key"}
        return super().save(*args, **kwargs)


class DealRegistration(TenantOwned):
    """A partner's claim on a customer opportunity, protected for a window."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="deals")
    customer = models.CharField(_("customer"), max_length=200)
    customer_key = models.CharField(_("normalised customer"), max_length=200, db_index=True, editable=False)
    customer_domain = models.CharField(_("customer domain"), max_length=200, blank=True, db_index=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    expected_amount = models.DecimalField(
        _("expected amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=10, choices=DealStatus.choices, default=DealStatus.PENDING
    )
    self_sourced = models.BooleanField(_("found by the partner"), default=True)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    expires_at = models.DateTimeField(_("protected until"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("won or lost at"), null=True, blank=True)
    #: What the won deal was worth (the sale that won it, or what the closer said).
    closed_amount = models.DecimalField(
        _("won amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    closed_note = models.TextField(_("how it ended"), blank=True)
    decision_reason = models.TextField(_("why"), blank=True)

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("deal registration")
        verbose_name_plural = _("deal registrations")
        # the deals page and API, newest first: read in the index's order instead of sorting every deal
        indexes = [models.Index(fields=["tenant", "-registered_at", "-id"], name="deal_list_newest")]

    def __str__(self):
        return f"{self.customer} · {self.partner}"

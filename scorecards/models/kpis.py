"""What a tenant measures (KPIs) and what it agreed with each partner (targets)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from prm.tenancy.scoping import TenantOwned

from ..choices import Dimension, Direction, KpiSource, KpiUnit, Side


class Kpi(TenantOwned):
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    source = models.CharField(_("measured from"), max_length=30, choices=KpiSource.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(0)]
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    side = models.CharField(
        _("side"),
        max_length=10,
        choices=Side.choices,
        default=Side.PARTNER,
        db_default=Side.PARTNER,
        help_text=_("Whose effort it measures: the partner's, or what the vendor does for the partner."),
    )
    #: What its target and actual are counted in: a number, money (the tenant's currency) or percent
    #: (87.17 is 87.17 %). A new KPI takes its source's (``choices.unit_of_source``).
    unit = models.CharField(
        _("unit"),
        max_length=10,
        choices=KpiUnit.choices,
        default=KpiUnit.NUMBER,
        db_default=KpiUnit.NUMBER,
        help_text=_("How its targets and actuals are shown: a number, an amount of money, or a percentage."),
    )
    #: Used when no target was agreed with the partner for the period (e.g. a win rate of 40).
    default_target = models.DecimalField(
        _("default target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="kpi_code_unique")]

    def __str__(self):
        return self.name


class Target(TenantOwned):
    """A target agreed with one partner for one period and KPI."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(_("period"), max_length=7)
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    acknowledged_at = models.DateTimeField(_("acknowledged by the partner at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["period", "partner_id", "kpi__position"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "partner", "period", "kpi"], name="target_unique"),
        ]
        # the targets page opens on the latest period: found by one index lookup, not a scan
        indexes = [models.Index(fields=["tenant", "-period"], name="target_latest_period")]

    def __str__(self):
        return f"{self.partner} {self.period} {self.kpi.code} = {self.value}"


class ManualValue(TenantOwned):
    """The actual of a hand-entered KPI for one partner and period."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("period"), max_length=7)
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("manual KPI value")
        verbose_name_plural = _("manual KPI values")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "partner", "period", "kpi"], name="manual_value_unique"
            ),
        ]

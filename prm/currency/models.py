"""The tenant's exchange-rate table: the rate of a sale's date converts it.

The table keeps the name it had when incentives held the model (``incentives_exchangerate``): the
model moved here without its rows moving (``currency`` 0001 and ``incentives`` 0012). Row-level
security covers it like every ``TenantOwned`` table (``prm.tenancy.rls``, after each migrate).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.models import currency_validator
from prm.tenancy.scoping import TenantOwned


class ExchangeRate(TenantOwned):
    """1 unit of ``currency`` is worth ``rate`` units of the tenant's currency from ``date`` on."""

    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    date = models.DateField(_("valid from"))
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)

    class Meta:
        db_table = "incentives_exchangerate"
        ordering = ["currency", "-date"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [models.UniqueConstraint(fields=["tenant", "currency", "date"], name="rate_unique")]

    def __str__(self):
        return f"{self.currency} {self.date}: {self.rate}"

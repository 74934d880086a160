"""A payout run's audit warnings, one row each (``incentives.run_warnings`` finds and reads them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from prm.tenancy.scoping import TenantOwned

from .runs import PayoutRun


class PayoutRunWarning(TenantOwned):
    """One thing that looks wrong in a payout run: its kind (``code``), the partner it is about (none
    for a warning about several partners, such as a sale booked by two), the parameters of its
    sentence and a few facts.

    A run over a large channel has hundreds of thousands of them: each range of partners writes its
    own rows, and pages, the API and the CSV count and read them in the database, a page at a time.
    ``facts`` stays small whatever the channel: how many sales the warning is about and the first
    few of them (``run_warnings.SALES_KEPT``), never all of them.
    """

    # (no index of their own: the constraint's index, tenant and run first, finds a run's warnings)
    run = models.ForeignKey(PayoutRun, on_delete=models.CASCADE, related_name="warning_rows", db_index=False)
    code = models.CharField(_("kind"), max_length=32)
    #: the kind's rank (``run_warnings.RANKS``, fixed per kind): a run lists its warnings kind by kind
    rank = models.PositiveSmallIntegerField(_("kind order"))
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
        db_index=False,
    )
    #: the warning's place among those of its kind and partner (a run's duplicate sales: by day)
    position = models.PositiveIntegerField(_("position"), default=0)
    #: what the warning's sentence says (``run_warnings.KINDS``), e.g. {"partner", "stage", "n"}
    params = models.JSONField(_("parameters"), default=dict)
    #: {"sales_count": n, "sales": [the first few sale ids]}
    facts = models.JSONField(_("facts"), default=dict)

    class Meta:
        ordering = ["run", "rank", "partner_id", "position"]
        verbose_name = _("payout run warning")
        verbose_name_plural = _("payout run warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "run", "rank", "partner", "position"],
                name="payout_run_warning_once",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.code} ({self.run_id})"

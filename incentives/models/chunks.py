"""A payout run being computed: its partner ranges' results, until the run joins them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.scoping import TenantOwned


class PayoutChunk(TenantOwned):
    """One partner range's share of a payout run being computed (``incentives.services.runs``).

    A run is computed in chunks of partners, by id range, that may run on several workers at once;
    each writes its lines, points and warnings here, and the join replaces the draft's lines with
    all of them in one transaction, so a run still lands whole or not at all. The join removes its
    chunks; those of a computation that died are removed by the next join after a day.
    """

    token = models.UUIDField(_("computation"), db_index=True)
    index = models.PositiveIntegerField(_("chunk"))
    period = models.CharField(_("period"), max_length=7)
    #: [{"partner_id", "rule_id", "rule_version", "kind", "amount", "explanation", "source"}, ...]
    lines = models.JSONField(_("lines"), default=list)
    #: [{"partner_id", "rule_id", "points", "reason"}, ...]
    points = models.JSONField(_("points"), default=list)
    #: [{"code", "rank", "partner", "position", "params", "facts"}, ...]: the warnings one range of
    #: partners raises, as the run's rows will keep them (``PayoutRunWarning``, ``run_warnings``)
    warnings = models.JSONField(_("warnings"), default=list)
    created_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payout run chunk")
        verbose_name_plural = _("payout run chunks")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "token", "index"], name="payout_chunk_once"),
        ]

"""A period's scorecards being computed on several workers: each partner range's cards and lines,
until the join lands them all."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from prm.tenancy.scoping import TenantOwned


class ScorecardChunk(TenantOwned):
    """One partner range's share of a scorecard compute (``scorecards.services.compute``).

    The ``scorecards.compute`` job measures ranges of partners on several workers at once; each
    keeps its cards and lines here, and the join writes all of them over the period's scorecards in
    one transaction, so a period is still recomputed whole or not at all. The join removes its
    chunks; those of a computation that died are removed by the next join after a day.
    """

    token = models.UUIDField(_("computation"), db_index=True)
    index = models.PositiveIntegerField(_("chunk"))
    period = models.CharField(_("period"), max_length=7)
    #: the cards' rows, in ``compute.CARD_FIELDS`` order
    cards = models.JSONField(_("scorecards"), default=list, encoder=DjangoJSONEncoder)
    #: each card's lines' rows (``compute.LINE_VALUES``), card by card
    lines = models.JSONField(_("lines"), default=list, encoder=DjangoJSONEncoder)
    #: the range's sales no rate converts (``partners.conversion.unconverted``)
    unconverted = models.JSONField(_("unconverted sales"), default=list)
    created_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scorecard compute chunk")
        verbose_name_plural = _("scorecard compute chunks")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "token", "index"], name="scorecard_chunk_once"),
        ]

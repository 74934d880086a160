"""A computed scorecard: one partner's results for one period, line by line."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.choices import Tier
from partners.models import Partner
from prm.tenancy.scoping import TenantOwned

from ..choices import Dimension, Direction, Side
from .kpis import Kpi


class Scorecard(TenantOwned):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="scorecards")
    period = models.CharField(_("period"), max_length=7, db_index=True)
    #: Weighted score 0–100, rounded to two places once, when computed.
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    rank = models.PositiveIntegerField(_("rank in cohort"))
    cohort_size = models.PositiveIntegerField(_("cohort size"))
    previous_score = models.DecimalField(
        _("previous score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    #: {"activation": 72.5, "performance": 61.0, "engagement": null}
    dimensions = models.JSONField(_("dimension scores"), default=dict)
    #: The period's sales in other currencies and what they converted to ([{"currency", "amount",
    #: "converted", "rate"}]): the rates behind the revenue lines, kept as they were when computed.
    conversions = models.JSONField(_("currency conversions"), default=list, blank=True, db_default=[])
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["-period", "rank", "partner__name"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "partner", "period"], name="scorecard_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "period", "tier", "region"]),
            models.Index(fields=["tenant", "-period", "rank", "id"], name="scorecard_list_keyset"),
            # the dashboard's leaders and laggards of a period: the first rows of this index either way
            models.Index(fields=["tenant", "period", "score"], name="scorecard_period_score"),
        ]

    def __str__(self):
        return f"{self.partner} {self.period}: {self.score}"

    @property
    def change(self):
        return None if self.previous_score is None else self.score - self.previous_score


class ScorecardLine(TenantOwned):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="lines")
    kpi = models.ForeignKey(Kpi, on_delete=models.SET_NULL, null=True, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    side = models.CharField(
        _("side"), max_length=10, choices=Side.choices, default=Side.PARTNER, db_default=Side.PARTNER
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)
    #: actual against target (1.0 = on target), null when there is nothing to compare
    attainment = models.DecimalField(_("attainment"), max_digits=8, decimal_places=4, null=True, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("scorecard line")
        verbose_name_plural = _("scorecard lines")
        indexes = [
            # a card's lines in one probe, the tenant's condition (row-level security's too) included:
            # with only the single-column indexes the planner ANDs the whole tenant's tenant_id index
            # into every card's lookup, which made replacing a period quadratic in its lines
            models.Index(fields=["tenant", "scorecard"], name="scorecard_line_card"),
        ]

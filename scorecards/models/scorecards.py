"""A computed scorecard: one partner's results for one period, line by line, and its earlier versions.

A scorecard keeps its id across recomputes of its period (links to it, and the payout lines that
paid on it, go on pointing at it): a recompute updates it in place and, when its figures changed,
first keeps what it showed as a ``ScorecardRevision``. One a recompute no longer produces (its
partner is no longer scored) is kept, marked ``withdrawn_at``, and left out of lists and rankings.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.choices import Tier
from partners.models import Partner
from prm.tenancy.scoping import TenantManager, TenantOwned, TenantQuerySet

from ..choices import Cohort, Dimension, Direction, KpiUnit, Side
from .kpis import Kpi


class ScorecardQuerySet(TenantQuerySet):
    def current(self):
        """The cards the latest computation of their period produced (withdrawn ones left out)."""
        return self.filter(withdrawn_at__isnull=True)


class ScorecardManager(TenantManager.from_queryset(ScorecardQuerySet)):
    pass


class Scorecard(TenantOwned):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="scorecards")
    period = models.CharField(_("period"), max_length=7, db_index=True)
    #: Weighted score 0–100, rounded to two places once, when computed.
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    rank = models.PositiveIntegerField(_("rank in cohort"))
    cohort_size = models.PositiveIntegerField(_("cohort size"))
    #: Whom it was ranked among: its tier and region, else (fewer than the programme's
    #: ``min_cohort_size`` there) its tier in every region, else the whole channel of the period.
    cohort = models.CharField(
        _("cohort"),
        max_length=12,
        choices=Cohort.choices,
        default=Cohort.TIER_REGION,
        db_default=Cohort.TIER_REGION,
    )
    previous_score = models.DecimalField(
        _("previous score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    #: {"activation": 72.5, "performance": 61.0, "engagement": null}
    dimensions = models.JSONField(_("dimension scores"), default=dict)
    #: The period's sales in other currencies and what they converted to ([{"currency", "amount",
    #: "converted", "rate"}]): the rates behind the revenue lines, kept as they were when computed.
    conversions = models.JSONField(_("currency conversions"), default=list, blank=True, db_default=[])
    computed_at = models.DateTimeField(_("computed at"))
    #: 1 when first computed, one more each time a recompute changed its figures (the earlier ones
    #: are kept as ``ScorecardRevision`` rows)
    revision = models.PositiveIntegerField(_("revision"), default=1, db_default=1)
    #: A fingerprint of its figures (``services.card_rows.card_digest``): a recompute that gives the
    #: same one leaves the card's lines and history alone. Empty: not known (computed before
    #: fingerprints were kept).
    digest = models.CharField(_("figures' fingerprint"), max_length=32, blank=True, default="", db_default="")
    #: When a recompute of its period no longer produced it (its partner no longer scored): kept so
    #: that links and payout lines still find it, left out of lists, cohorts and later computations.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ScorecardManager()

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


class ScorecardRevision(TenantOwned):
    """What a scorecard showed before a recompute changed its figures: its ``revision`` as it was,
    lines and all. Written by the compute (set-based, only for cards whose figures changed), never
    edited; a payout line that paid on revision n of a card reads it here once the card moved on."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveIntegerField(_("revision"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    rank = models.PositiveIntegerField(_("rank in cohort"))
    cohort_size = models.PositiveIntegerField(_("cohort size"))
    cohort = models.CharField(
        _("cohort"),
        max_length=12,
        choices=Cohort.choices,
        default=Cohort.TIER_REGION,
        db_default=Cohort.TIER_REGION,
    )
    previous_score = models.DecimalField(
        _("previous score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    dimensions = models.JSONField(_("dimension scores"), default=dict)
    conversions = models.JSONField(_("currency conversions"), default=list, blank=True)
    #: its lines as they were, in their order: [{"code", "name", "dimension", "side", "direction",
    #: "unit", "target", "actual", "attainment", "weight", "points"}], the numbers as text ("unit"
    #: missing in revisions kept before KPIs had units: a number)
    lines = models.JSONField(_("lines"), default=list)
    computed_at = models.DateTimeField(_("computed at"))
    #: when the computation that replaced it ran
    superseded_at = models.DateTimeField(_("superseded at"))

    class Meta:
        ordering = ["-revision"]
        verbose_name = _("scorecard revision")
        verbose_name_plural = _("scorecard revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "scorecard", "revision"], name="scorecard_revision_once"
            ),
        ]

    def __str__(self):
        return f"{self.scorecard_id} r{self.revision}: {self.score}"

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
    #: its KPI's unit when computed (how its target and actual are shown)
    unit = models.CharField(
        _("unit"), max_length=10, choices=KpiUnit.choices, default=KpiUnit.NUMBER, db_default=KpiUnit.NUMBER
    )
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

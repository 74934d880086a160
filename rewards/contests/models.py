"""Contests: a period, an eligible group, a measure and prizes; and the prizes awarded when one closes.

A contest's leaderboard is not stored: it is computed on read from the latest figures
(``standings``), so it moves with every recompute of the scorecards and every sale booked. Closing
a contest (``services.contest_close``) writes one ``ContestAward`` per winner and prize, once.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incentives.models import PayoutLine, PointsEntry
from partners.models import Partner
from prm.tenancy.scoping import TenantOwned
from rewards.catalogue.models import Redemption, RewardItem
from scorecards.models import Kpi

from .choices import ContestStatus, Measure, PrizeBasis, PrizeKind


class Contest(TenantOwned):
    """A contest between the eligible partners over ``starts_on``–``ends_on``.

    The eligible group is the partners in one of ``tiers`` (the tier in force), ``regions`` and
    ``operating_models`` (each empty: any), lost and dormant partners left out. ``measure`` says what
    ranks them: a KPI's actual (or the score) on the scorecards of ``period`` (a programme period
    such as ``2026-Q3``, required for those), or revenue growth between the dates and the same dates
    a year before (computed from the sales). ``for_preferences`` lists reward preferences it is
    meant for; with ``preferred_only`` only partners that stated one of them take part.
    """

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    #: a programme period (``2026-Q3``); its dates are the contest's when given
    period = models.CharField(_("programme period"), max_length=7, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    tiers = models.JSONField(_("tiers"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    operating_models = models.JSONField(_("operating models"), default=list, blank=True)
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices, default=Measure.GROWTH)
    kpi = models.ForeignKey(
        Kpi, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("KPI")
    )
    show_names = models.BooleanField(
        _("partners see each other's names"),
        default=False,
        help_text=_("Otherwise a partner sees its own name and the others as “Partner #rank”."),
    )
    for_preferences = models.JSONField(_("for partners who prefer"), default=list, blank=True)
    preferred_only = models.BooleanField(_("only for partners who prefer these"), default=False)
    #: closed by the daily job this many days after its end (empty: only by hand)
    auto_close_days = models.PositiveSmallIntegerField(
        _("close by itself after (days)"),
        null=True,
        blank=True,
        default=14,
        validators=[MaxValueValidator(365)],
        help_text=_("Days after its end when the daily job closes it and awards the prizes; empty: by hand."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-ends_on", "-id"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        indexes = [models.Index(fields=["tenant", "closed_at", "ends_on"], name="contest_open_ending")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="contest_dates"
            ),
        ]

    def __str__(self):
        return self.name

    def status_on(self, day: date) -> str:
        if self.closed_at:
            return ContestStatus.CLOSED
        if day < self.starts_on:
            return ContestStatus.UPCOMING
        return ContestStatus.RUNNING if day <= self.ends_on else ContestStatus.ENDED

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return ContestStatus(self.status).label

    @property
    def descending(self) -> bool:
        """Whether a higher value ranks first (a KPI whose lower values are better ranks the other way)."""
        return not (self.measure == Measure.KPI and self.kpi is not None and self.kpi.direction == "lower")


class Prize(TenantOwned):
    """One prize of a contest: for the ranks ``rank_from``–``rank_to`` (ties share a rank, so every
    partner tied within the ranks wins), or for everyone whose progress reaches ``threshold`` (a KPI:
    percent of its target; the score or growth: the value itself). It is ``points`` credited to the
    ledger, an ``amount`` of money added to the next draft payout run, or one ``item`` of the
    catalogue given as a redemption that costs no points (``redemption_grant``)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="prizes")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(
        _("prize"), max_length=200, help_text=_("What the winners are told, e.g. “Trip to Lisbon”.")
    )
    basis = models.CharField(_("won by"), max_length=10, choices=PrizeBasis.choices, default=PrizeBasis.RANK)
    rank_from = models.PositiveIntegerField(
        _("from rank"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    rank_to = models.PositiveIntegerField(
        _("to rank"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=2, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=PrizeKind.choices, default=PrizeKind.POINTS)
    points = models.PositiveIntegerField(_("points"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    item = models.ForeignKey(
        RewardItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reward"),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")

    def __str__(self):
        return self.label

    @property
    def worst_rank(self) -> int | None:
        return (self.rank_to or self.rank_from) if self.basis == PrizeBasis.RANK else None


class ContestAward(TenantOwned):
    """A prize one partner won when its contest closed: its rank and value then, and the ledger row,
    payout line or redemption that pays it. Once per contest, partner and prize (the constraint says so)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="awards")
    prize = models.ForeignKey(Prize, on_delete=models.PROTECT, related_name="awards")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contest_awards")
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    # DO_NOTHING, with the database's foreign key kept: a prize's ledger row is run-less and its
    # line an adjustment, neither of which a recompute removes, so the database refuses any delete
    # of them; and a recompute deleting a draft run's own lines and points stays one statement each
    # (an ORM on_delete would make Django fetch and update them in batches, per partner count)
    points_entry = models.ForeignKey(
        PointsEntry, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+"
    )
    payout_line = models.ForeignKey(
        PayoutLine, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+"
    )
    #: the redemption that gives a catalogue item prize (DO_NOTHING, the database's key kept, as above)
    redemption = models.ForeignKey(
        Redemption, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("awarded at"), default=timezone.now)

    class Meta:
        ordering = ["contest", "prize__position", "rank", "id"]
        verbose_name = _("contest award")
        verbose_name_plural = _("contest awards")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "contest", "partner", "prize"], name="contest_award_once"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "partner", "created_at"], name="contest_award_partner")]

    def __str__(self):
        return f"{self.contest}: {self.prize} → {self.partner}"

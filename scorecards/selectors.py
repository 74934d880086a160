"""Reads of scorecards' data, scoped to a tenant."""

from django.db.models import Count, F, Q, Window
from django.db.models.functions import Rank, RowNumber

from prm.periods import last_periods, parse_period

from .cohorts import cohort_filter
from .models import (
    BusinessPlan,
    Kpi,
    ProductRegistration,
    SatisfactionResult,
    Scorecard,
    ScorecardRevision,
    Target,
)


def kpi_list(*, tenant):
    """The tenant's KPIs (a new tenant starts with the defaults: ``PRM_TENANT_SETUP``)."""
    return Kpi.objects.for_tenant(tenant)


def target_list(*, tenant):
    return Target.objects.for_tenant(tenant).select_related("partner", "kpi", "acknowledged_by")


def latest_target_period(targets) -> str | None:
    """The latest period of these targets (an index lookup on (tenant, period))."""
    return targets.order_by("-period").values_list("period", flat=True).first()


def scorecard_list(*, tenant):
    """The scorecards of each period's latest computation (withdrawn ones left out)."""
    return Scorecard.objects.for_tenant(tenant).current().select_related("partner")


def scorecard_detail(*, tenant):
    """Any scorecard by its id, a withdrawn one too: a link to a scorecard keeps resolving."""
    return Scorecard.objects.for_tenant(tenant).select_related("partner").prefetch_related("lines")


def scorecard_history(*, scorecard):
    """The earlier revisions of a scorecard, the latest first (its index: tenant, scorecard, revision)."""
    return (
        ScorecardRevision.objects.for_tenant(scorecard.tenant_id)
        .filter(scorecard=scorecard)
        .order_by("-revision")
    )


def scorecard_trend(*, scorecard, periods: int = 6) -> list[Scorecard]:
    """The partner's scorecards up to this one, oldest first (one query; withdrawn ones left out)."""

    codes = [p.code for p in last_periods(parse_period(scorecard.period), periods)]
    cards = Scorecard.objects.for_tenant(scorecard.tenant_id).filter(
        partner_id=scorecard.partner_id, period__in=codes
    )
    found = {c.period: c for c in cards.filter(Q(withdrawn_at__isnull=True) | Q(pk=scorecard.pk))}
    return [found[c] for c in codes if c in found]


#: a cohort is shown as its leaders and the ranks around the partner's own, however large it is
COHORT_TOP, COHORT_AROUND = 10, 2


def cohort_of(*, scorecard) -> list[Scorecard]:
    """The scorecards of ``scorecard``'s cohort (``cohorts.cohort_filter``: its tier and region, its
    tier, or the whole channel of its period), by their rank in it (``cohort_rank``, a window over
    the cohort: another card's own ``rank`` may be in a narrower cohort): the first ``COHORT_TOP``
    and those within ``COHORT_AROUND`` ranks of ``scorecard`` (one query; a large channel's cohort
    holds thousands). A card after a gap in the ranks has ``gap_before`` set. A withdrawn
    ``scorecard`` is shown at its rank as it was."""

    rank = scorecard.rank or 0
    cards = list(
        Scorecard.objects.for_tenant(scorecard.tenant_id)
        .current()
        .filter(**cohort_filter(scorecard))
        .annotate(cohort_rank=Window(Rank(), order_by=F("score").desc()))
        .filter(
            Q(cohort_rank__lte=COHORT_TOP)
            | Q(cohort_rank__gte=rank - COHORT_AROUND, cohort_rank__lte=rank + COHORT_AROUND)
            | Q(pk=scorecard.pk)
        )
        .select_related("partner")
        .order_by("cohort_rank", "partner__name")
    )
    if scorecard.withdrawn_at is not None:
        scorecard.cohort_rank = scorecard.rank
        cards = sorted([*cards, scorecard], key=lambda c: (c.cohort_rank or 0, c.partner.name))
    for previous, card in zip([None, *cards], cards, strict=False):
        card.gap_before = previous is not None and (card.cohort_rank or 0) > (previous.cohort_rank or 0) + 1
    return cards


def product_registration_list(*, tenant):
    return ProductRegistration.objects.for_tenant(tenant).select_related("partner")


def satisfaction_list(*, tenant):
    return SatisfactionResult.objects.for_tenant(tenant).select_related("partner")


def plan_list(*, tenant):
    """Business plans with their partner, number of goals and activities (done and all), newest year first."""

    return (
        BusinessPlan.objects.for_tenant(tenant)
        .select_related("partner", "agreed_by")
        .annotate(
            goals_count=Count("goals", distinct=True),
            activities_count=Count("activities", distinct=True),
            activities_done=Count("activities", filter=Q(activities__done_at__isnull=False), distinct=True),
        )
        .order_by("-year", "partner__name", "id")
    )


def falling_scores(tenant, now=None, programme=None) -> dict[int, dict]:
    """Health signal ``score_falling``: each partner's latest two scorecards both fell against the
    period before (three scores, each lower than the last); one query."""

    rows = (
        Scorecard.objects.for_tenant(tenant)
        .current()
        .annotate(n=Window(RowNumber(), partition_by=[F("partner_id")], order_by=F("period").desc()))
        .filter(n__lte=2)
        .order_by()
        .values("partner_id", "period", "score", "previous_score", "n")
    )
    latest: dict[int, list] = {}
    for row in rows:
        latest.setdefault(row["partner_id"], []).append(row)
    found = {}
    for partner_id, cards in latest.items():
        cards.sort(key=lambda r: r["n"])
        if len(cards) == 2 and all(
            c["previous_score"] is not None and c["score"] < c["previous_score"] for c in cards
        ):
            found[partner_id] = {
                "scores": [str(cards[1]["previous_score"]), str(cards[1]["score"]), str(cards[0]["score"])],
                "period": cards[0]["period"],
            }
    return found

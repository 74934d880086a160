"""A contest's leaderboard: computed on read, one SQL query, ranked by a window function.

There are no stored standings: every read measures the eligible partners from the latest figures
(the current scorecards of the contest's period, or the sales), so the leaderboard moves with
every scorecard or tier recompute and every sale booked, and there is nothing to refresh.

The measured rows come from one aggregate query built by the ORM (``measured``): per partner, its
``value`` and its ``progress`` (a KPI: percent of its target; the score or growth: the value). That
query is wrapped in SQL that ranks them with ``RANK() OVER`` (ties share a rank, the next rank is
skipped) and counts them with ``COUNT(*) OVER ()``, then pages, or picks one partner. Partners
without a value (no scorecard of the period, no sales a year before) are not ranked. Reads run in
the request's tenant scope: row-level security applies to the raw SQL too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Case, DecimalField, ExpressionWrapper, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, NullIf

from partners.choices import INACTIVE
from partners.models import Partner, Sale
from rewards.preferences.models import RewardPreference
from scorecards.models import Scorecard, ScorecardLine

from .choices import Measure, PrizeBasis

DECIMAL = DecimalField(max_digits=24, decimal_places=8)


@dataclass(frozen=True)
class Standing:
    """One partner's line on the leaderboard."""

    partner_id: int
    name: str
    value: Decimal
    progress: Decimal | None
    rank: int
    ranked: int  # how many partners are ranked


@dataclass
class OwnStanding:
    """What a partner user sees of its own place: its standing (None when not measured yet), the
    prizes it holds now and, for each other prize, how much more it needs."""

    standing: Standing | None
    holds: list = field(default_factory=list)
    to_reach: list = field(default_factory=list)  # [(prize, missing Decimal)]


def eligible_partners(contest):
    """The partners taking part: the contest's tiers (the tier in force), regions and operating
    models (each empty: any), lost and dormant ones left out, and with ``preferred_only`` those whose
    stated preferences include one of ``for_preferences``."""
    partners = Partner.objects.for_tenant(contest.tenant_id).exclude(stage__in=INACTIVE)
    if contest.tiers:
        partners = partners.annotate(
            tier_in_force=Coalesce(NullIf("tier_override", Value("")), "computed_tier")
        ).filter(tier_in_force__in=contest.tiers)
    if contest.regions:
        partners = partners.filter(region__in=contest.regions)
    if contest.operating_models:
        partners = partners.filter(operating_model__in=contest.operating_models)
    if contest.preferred_only and contest.for_preferences:
        preferring = RewardPreference.objects.for_tenant(contest.tenant_id).filter(
            Q.create([("kinds__contains", [kind]) for kind in contest.for_preferences], connector=Q.OR)
        )
        partners = partners.filter(pk__in=preferring.values("partner_id"))
    return partners


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def measured(contest):
    """One aggregate query: ``partner_id``, ``value``, ``progress`` of each eligible partner with a value."""
    tenant = contest.tenant
    eligible = eligible_partners(contest).values("pk")
    if contest.measure == Measure.GROWTH:
        start, end = contest.starts_on, contest.ends_on
        before_start, before_end = _year_before(start), _year_before(end)
        now = Sum("converted", filter=Q(date__gte=start, date__lte=end))
        before = Sum("converted", filter=Q(date__gte=before_start, date__lte=before_end))
        growth = ExpressionWrapper(
            Value(Decimal(100)) * (Coalesce(F("now"), Value(Decimal(0))) - F("before")) / F("before"),
            output_field=DECIMAL,
        )
        return (
            Sale.objects.for_tenant(tenant)
            .filter(partner__in=eligible)
            .filter(Q(date__gte=start, date__lte=end) | Q(date__gte=before_start, date__lte=before_end))
            .values("partner_id")
            .annotate(now=now, before=before)
            .filter(before__gt=0)
            .annotate(value=growth)
            .annotate(progress=F("value"))
            .values("partner_id", "value", "progress")
            .order_by()
        )
    if contest.measure == Measure.SCORE:
        return (
            Scorecard.objects.for_tenant(tenant)
            .current()
            .filter(period=contest.period, partner__in=eligible)
            .values("partner_id")
            .annotate(value=F("score"), progress=F("score"))
            .values("partner_id", "value", "progress")
            .order_by()
        )
    return (
        ScorecardLine.objects.for_tenant(tenant)
        .filter(
            scorecard__period=contest.period,
            scorecard__withdrawn_at__isnull=True,
            scorecard__partner__in=eligible,
            code=contest.kpi.code if contest.kpi_id else "",
            actual__isnull=False,
        )
        .annotate(
            partner_id=F("scorecard__partner_id"),
            value=F("actual"),
            progress=ExpressionWrapper(
                Case(When(attainment__isnull=False, then=F("attainment") * Value(Decimal(100)))),
                output_field=DECIMAL,
            ),
        )
        .values("partner_id", "value", "progress")
        .order_by()
    )


def _ranked_sql(contest) -> tuple[str, list]:
    inner, params = measured(contest).query.sql_with_params()
    order = "DESC" if contest.descending else "ASC"
    sql = (
        f"SELECT r.partner_id, p.name, r.value, r.progress, r.rank, r.ranked FROM ("  # noqa: S608
        f"  SELECT m.partner_id, m.value, m.progress,"
        f"         RANK() OVER (ORDER BY m.value {order}) AS rank, COUNT(*) OVER () AS ranked"
        f"  FROM ({inner}) AS m WHERE m.value IS NOT NULL"
        f") AS r JOIN partners_partner AS p ON p.id = r.partner_id AND p.tenant_id = %s"
    )
    return sql, [*params, contest.tenant_id]


def _rows(sql: str, params: list) -> list[Standing]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Standing(*row) for row in cursor.fetchall()]


def leaderboard(contest, *, limit: int = 50, offset: int = 0) -> list[Standing]:
    """One page of the leaderboard, best first (ties by name)."""
    sql, params = _ranked_sql(contest)
    return _rows(f"{sql} ORDER BY r.rank, p.name, p.id LIMIT %s OFFSET %s", [*params, limit, offset])


def ranked_count(contest) -> int:
    """How many partners are ranked."""
    sql, params = _ranked_sql(contest)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS board", params)  # noqa: S608
        return cursor.fetchone()[0]


def standing_of(contest, partner_id: int) -> Standing | None:
    """One partner's standing (None when it is not ranked)."""
    sql, params = _ranked_sql(contest)
    rows = _rows(f"{sql} WHERE r.partner_id = %s", [*params, partner_id])
    return rows[0] if rows else None


def winners(contest, prize) -> list[Standing]:
    """Every partner that wins ``prize`` on the leaderboard as it stands: all within its ranks (ties
    included), or all whose progress reaches its threshold."""
    sql, params = _ranked_sql(contest)
    if prize.basis == PrizeBasis.RANK:
        low, high = prize.rank_from or 1, prize.worst_rank or prize.rank_from or 1
        return _rows(f"{sql} WHERE r.rank BETWEEN %s AND %s ORDER BY r.rank, p.id", [*params, low, high])
    if prize.threshold is None:
        return []
    return _rows(f"{sql} WHERE r.progress >= %s ORDER BY r.rank, p.id", [*params, prize.threshold])


def _value_at_rank(contest, rank: int) -> Decimal | None:
    """The value of the last partner holding a rank up to ``rank`` (what one must reach to hold it)."""
    sql, params = _ranked_sql(contest)
    rows = _rows(f"{sql} WHERE r.rank <= %s ORDER BY r.rank DESC LIMIT 1", [*params, rank])
    return rows[0].value if rows else None


def own_standing(contest, partner_id: int) -> OwnStanding:
    """A partner's standing, the prizes it would win if the contest closed now, and the distance to
    each other prize (in the measure's unit for ranks, in progress for thresholds)."""
    standing = standing_of(contest, partner_id)
    result = OwnStanding(standing=standing)
    if standing is None:
        return result
    for prize in contest.prizes.all():
        if prize.basis == PrizeBasis.RANK:
            low, high = prize.rank_from or 1, prize.worst_rank or 1
            if low <= standing.rank <= high:
                result.holds.append(prize)
            elif standing.rank > high:
                needed = _value_at_rank(contest, high)
                if needed is not None:
                    missing = needed - standing.value if contest.descending else standing.value - needed
                    result.to_reach.append((prize, max(missing, Decimal(0))))
        elif prize.threshold is not None:
            if standing.progress is not None and standing.progress >= prize.threshold:
                result.holds.append(prize)
            elif standing.progress is not None:
                result.to_reach.append((prize, prize.threshold - standing.progress))
    return result

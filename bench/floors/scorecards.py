"""The scorecard compute's floor (``scorecards_compute``) and the KPI sources it reads."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from prm.periods import parse_period
from scorecards.programme import scorecard_programme_for

from ..generate import QUARTER
from .sql import _CONVERSIONS, _no_jit

_KPI_SOURCES = {
    "sales": """SELECT partner_id, coalesce(sum(converted), 0) AS v FROM sales
                WHERE date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    "growth": """SELECT partner_id, CASE WHEN before > 0 THEN 100 * (coalesce(now, 0) - before) / before END AS v
                 FROM (SELECT partner_id, sum(converted) FILTER (WHERE date >= %(start)s) AS now,
                              sum(converted) FILTER (WHERE date < %(start)s) AS before
                       FROM sales GROUP BY 1) g""",
    "deal_registrations": "SELECT partner_id, regs::numeric AS v FROM deals",
    "win_rate": "SELECT partner_id, CASE WHEN won + lost > 0 THEN 100.0 * won / (won + lost) END AS v FROM deals",
    "visits": """SELECT partner_id, count(*)::numeric AS v FROM partners_visit
                 WHERE tenant_id = %(t)s AND date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    "product_registrations": """SELECT partner_id, count(*)::numeric AS v FROM scorecards_productregistration
                                WHERE tenant_id = %(t)s AND date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    "satisfaction": """SELECT partner_id, 100.0 * (count(*) FILTER (WHERE score >= 9)
                                                  - count(*) FILTER (WHERE score <= 6)) / count(*) AS v
                       FROM scorecards_satisfactionresult
                       WHERE tenant_id = %(t)s AND date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    "training": """SELECT x.partner_id, 100.0 * count(DISTINCT x.course_id) / c.n AS v
                   FROM onboarding_completion x
                   JOIN onboarding_course k ON k.id = x.course_id AND k.tenant_id = %(t)s
                   CROSS JOIN (SELECT count(*) AS n FROM onboarding_course
                               WHERE tenant_id = %(t)s AND required_for_certification) c
                   WHERE x.tenant_id = %(t)s AND k.required_for_certification AND x.completed_on <= %(end)s
                     AND (x.expires_on IS NULL OR x.expires_on >= %(end)s)
                   GROUP BY x.partner_id, c.n""",
}


def scorecards_floor(tenant) -> int:
    """Write the quarter's scorecards over the stored ones as ``scorecards_compute`` does: a delete of
    their lines, one statement, and the cards no longer produced marked withdrawn.

    Per scored partner and active KPI: the source's actual (revenue as each sale was converted when
    booked, growth against the previous quarter, deal registrations, win rate, product registrations,
    satisfaction, training held), the agreed target or the KPI's default, attainment, points capped
    at the programme's attainment cap; per partner the weighted score, the dimension scores, the rank
    and size of its tier-and-region cohort, the previous quarter's score and the conversions behind
    its revenue. Writes one scorecard per partner (in place: ``ON CONFLICT … DO UPDATE``, the
    product's fingerprint of its figures left as it is, so the product's next run finds the same
    figures unchanged) and one line per KPI; returns the scorecards. (Unlike the product it rewrites
    every card's lines and keeps no revision: it has no fingerprint of its own to compare.)
    """
    from scorecards.models import Kpi

    period = parse_period(QUARTER)
    sources = set(Kpi.objects.for_tenant(tenant).filter(active=True).values_list("source", flat=True))
    if sources - set(_KPI_SOURCES):
        raise NotImplementedError(
            f"bench/floors has no SQL for {', '.join(sorted(sources - set(_KPI_SOURCES)))}"
        )
    measured = " UNION ALL ".join(
        f"SELECT '{s}' AS source, * FROM ({_KPI_SOURCES[s]}) m" for s in sorted(sources)
    )
    params = {
        "t": tenant.pk,
        "cur": tenant.currency,
        "q": period.code,
        "previous": period.previous().code,
        "start": period.start,
        "end": period.end,
        "before": period.previous().start,
        "cap": scorecard_programme_for(tenant).attainment_cap / 100,
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        _no_jit(cursor)
        cursor.execute(
            """
            DELETE FROM scorecards_scorecardline WHERE tenant_id = %(t)s AND scorecard_id IN (
              SELECT id FROM scorecards_scorecard WHERE tenant_id = %(t)s AND period = %(q)s);
            """,
            params,
        )
        cursor.execute(
            f"""
            WITH sales AS (  -- this quarter's and the previous one's, converted when they were booked
                  SELECT partner_id, date, currency, amount, converted FROM partners_sale
                  WHERE tenant_id = %(t)s AND date BETWEEN %(before)s AND %(end)s),
                 deals AS (SELECT partner_id, count(*) AS regs, count(*) FILTER (WHERE status = 'won') AS won,
                                  count(*) FILTER (WHERE status = 'lost') AS lost
                           FROM partners_dealregistration
                           WHERE tenant_id = %(t)s AND registered_at::date BETWEEN %(start)s AND %(end)s GROUP BY 1),
                 measured AS ({measured}),
                 partners AS (SELECT id, region, coalesce(nullif(tier_override, ''), computed_tier, '') AS tier
                              FROM partners_partner WHERE tenant_id = %(t)s AND stage IN ('signed', 'certified')),
                 lines AS (
                  SELECT p.id AS partner_id, k.id AS kpi_id, k.code, k.name, k.dimension, k.side, k.direction,
                         k.weight, k.position, target, actual,
                         -- (least() and greatest() skip NULLs: what cannot be measured stays NULL by the CASEs)
                         CASE WHEN attained IS NOT NULL THEN least(attained, 9999.9999) END AS attainment,
                         CASE WHEN attained IS NOT NULL THEN k.weight * least(greatest(attained, 0), %(cap)s) END
                           AS points
                  FROM partners p CROSS JOIN scorecards_kpi k
                  LEFT JOIN scorecards_target t
                         ON t.tenant_id = %(t)s AND t.period = %(q)s AND t.partner_id = p.id AND t.kpi_id = k.id
                  LEFT JOIN measured m ON m.source = k.source AND m.partner_id = p.id
                  CROSS JOIN LATERAL (SELECT coalesce(t.value, k.default_target) AS target) g
                  CROSS JOIN LATERAL (SELECT CASE WHEN m.partner_id IS NOT NULL THEN m.v
                                                  WHEN target IS NOT NULL THEN 0 END AS actual) a
                  CROSS JOIN LATERAL (
                    SELECT CASE WHEN actual IS NULL OR target IS NULL THEN NULL
                                WHEN k.direction = 'lower' THEN CASE WHEN actual <= 0 THEN 1.5 ELSE target / actual END
                                WHEN target = 0 THEN CASE WHEN actual >= 0 THEN 1 ELSE 0 END
                                ELSE actual / target END AS attained) r
                  WHERE k.tenant_id = %(t)s AND k.active),
                 dimensions AS (
                  SELECT partner_id, jsonb_object_agg(dimension, round(100 * sum_points / nullif(sum_weight, 0), 2)::float)
                                       AS dimensions
                  FROM (SELECT partner_id, dimension, sum(points) AS sum_points,
                               sum(weight) FILTER (WHERE points IS NOT NULL) AS sum_weight
                        FROM lines GROUP BY 1, 2) d GROUP BY 1),
                 conversions AS (
                  SELECT partner_id, {_CONVERSIONS} AS conversions
                  FROM (SELECT partner_id, currency, sum(amount) FILTER (WHERE converted IS NOT NULL) AS amount,
                               sum(converted) AS converted
                        FROM sales WHERE date >= %(start)s AND currency <> %(cur)s GROUP BY 1, 2) c GROUP BY 1),
                 scores AS (
                  SELECT p.id AS partner_id, p.tier, p.region,
                         coalesce(round(100 * sum(l.points) / nullif(sum(l.weight) FILTER (WHERE l.points IS NOT NULL), 0), 2),
                                  0) AS score
                  FROM partners p JOIN lines l ON l.partner_id = p.id GROUP BY p.id, p.tier, p.region),
                 cards AS (
                  INSERT INTO scorecards_scorecard (tenant_id, partner_id, period, score, tier, region, rank,
                    cohort_size, previous_score, dimensions, conversions, computed_at)
                  SELECT %(t)s, s.partner_id, %(q)s, s.score, s.tier, s.region,
                         rank() OVER (PARTITION BY s.tier, s.region ORDER BY s.score DESC),
                         count(*) OVER (PARTITION BY s.tier, s.region), b.score, coalesce(d.dimensions, '{{}}'),
                         coalesce(c.conversions, '[]'), %(now)s
                  FROM scores s LEFT JOIN dimensions d USING (partner_id) LEFT JOIN conversions c USING (partner_id)
                  LEFT JOIN scorecards_scorecard b
                         ON b.tenant_id = %(t)s AND b.period = %(previous)s AND b.partner_id = s.partner_id
                         AND b.withdrawn_at IS NULL
                  ON CONFLICT (tenant_id, partner_id, period) DO UPDATE SET score = EXCLUDED.score,
                    tier = EXCLUDED.tier, region = EXCLUDED.region, rank = EXCLUDED.rank,
                    cohort_size = EXCLUDED.cohort_size, previous_score = EXCLUDED.previous_score,
                    dimensions = EXCLUDED.dimensions, conversions = EXCLUDED.conversions,
                    computed_at = EXCLUDED.computed_at, withdrawn_at = NULL
                  RETURNING id, partner_id),
                 written AS (
                  INSERT INTO scorecards_scorecardline (tenant_id, scorecard_id, kpi_id, code, name, dimension, side,
                    direction, target, actual, attainment, weight, points, position)
                  SELECT %(t)s, c.id, l.kpi_id, l.code, l.name, l.dimension, l.side, l.direction, l.target,
                         round(l.actual, 2), round(l.attainment, 4), l.weight, round(l.points, 2),
                         l.position
                  FROM lines l JOIN cards c USING (partner_id))
            SELECT count(*) FROM cards
            """,
            params,
        )
        count = cursor.fetchone()[0]
        cursor.execute(  # the cards not written just now
            """UPDATE scorecards_scorecard SET withdrawn_at = %(now)s
               WHERE tenant_id = %(t)s AND period = %(q)s AND withdrawn_at IS NULL AND computed_at <> %(now)s""",
            params,
        )
        return count

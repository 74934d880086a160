"""Raw SQL floors: the same aggregates over the same rows, writing as many rows, in one statement each.

Each floor is what a computation costs at the least on this database: the
product is measured against it in the same run (``bench/run.py``).
"""

from __future__ import annotations

from django.db import connection

from .generate import QUARTER, YEAR


def tiers_floor(tenant) -> int:
    """Aggregate sales, deals, visits and the latest assessment per partner; rank; update every partner."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH s AS (SELECT partner_id, sum(amount) AS revenue FROM partners_sale
                       WHERE tenant_id = %(t)s AND date >= now() - interval '365 days' AND currency = 'EUR'
                       GROUP BY partner_id),
                 d AS (SELECT partner_id, count(*) AS regs, count(*) FILTER (WHERE status = 'won') AS won,
                              count(*) FILTER (WHERE status = 'lost') AS lost,
                              count(*) FILTER (WHERE self_sourced) AS own
                       FROM partners_dealregistration
                       WHERE tenant_id = %(t)s AND registered_at >= now() - interval '365 days'
                       GROUP BY partner_id),
                 v AS (SELECT partner_id, count(*) AS visits, count(*) FILTER (WHERE goal_met) AS met
                       FROM partners_visit WHERE tenant_id = %(t)s AND date >= now() - interval '365 days'
                       GROUP BY partner_id),
                 a AS (SELECT DISTINCT ON (partner_id) partner_id, ratings FROM partners_assessment
                       WHERE tenant_id = %(t)s AND kind = 'tier' ORDER BY partner_id, date DESC, id DESC),
                 m AS (SELECT p.id,
                              100 * percent_rank() OVER (ORDER BY coalesce(s.revenue, 0)) AS competitiveness,
                              coalesce(d.won, 0)::numeric / nullif(d.won + d.lost, 0) AS win_rate,
                              coalesce(d.regs, 0) + coalesce(v.met, 0) AS willingness,
                              (a.ratings -> 'autonomy' ->> 'score')::numeric AS autonomy
                       FROM partners_partner p LEFT JOIN s ON s.partner_id = p.id LEFT JOIN d ON d.partner_id = p.id
                       LEFT JOIN v ON v.partner_id = p.id LEFT JOIN a ON a.partner_id = p.id
                       WHERE p.tenant_id = %(t)s AND p.stage <> 'lost')
            UPDATE partners_partner p
            SET computed_tier = CASE WHEN m.competitiveness >= 50 AND m.willingness >= 2 THEN 'A'
                                     WHEN m.competitiveness >= 50 THEN 'B'
                                     WHEN m.willingness >= 2 THEN 'C' ELSE 'D' END,
                tier_axes = jsonb_build_object('competitiveness', m.competitiveness, 'win_rate', m.win_rate,
                                               'willingness', m.willingness, 'autonomy', m.autonomy),
                tier_computed_at = now()
            FROM m WHERE p.id = m.id
            """,
            {"t": tenant.pk},
        )
        return cursor.rowcount


def scorecards_floor(tenant) -> int:
    """Replace the quarter's scorecards: per-partner actuals for every KPI, one card and K lines each."""
    with connection.cursor() as cursor:
        params = {"t": tenant.pk, "q": QUARTER, "start": f"{YEAR}-07-01", "end": f"{YEAR}-09-30"}
        cursor.execute(
            """
            DELETE FROM scorecards_scorecardline l USING scorecards_scorecard c
              WHERE l.scorecard_id = c.id AND c.tenant_id = %(t)s AND c.period = %(q)s;
            DELETE FROM scorecards_scorecard WHERE tenant_id = %(t)s AND period = %(q)s;
            CREATE TEMP TABLE floor_actuals ON COMMIT DROP AS
              SELECT p.id AS partner_id, p.region, k.id AS kpi_id, k.code, k.name, k.dimension, k.direction,
                     k.weight, k.position, t.value AS target,
                     CASE k.source WHEN 'sales' THEN coalesce(s.revenue, 0) WHEN 'deals' THEN coalesce(d.regs, 0)
                                   ELSE coalesce(v.visits, 0) END AS actual
              FROM partners_partner p CROSS JOIN scorecards_kpi k
              LEFT JOIN (SELECT partner_id, sum(amount) AS revenue FROM partners_sale
                         WHERE tenant_id = %(t)s AND date BETWEEN %(start)s AND %(end)s GROUP BY 1) s
                     ON s.partner_id = p.id
              LEFT JOIN (SELECT partner_id, count(*) AS regs FROM partners_dealregistration
                         WHERE tenant_id = %(t)s AND registered_at::date BETWEEN %(start)s AND %(end)s
                         GROUP BY 1) d ON d.partner_id = p.id
              LEFT JOIN (SELECT partner_id, count(*) AS visits FROM partners_visit
                         WHERE tenant_id = %(t)s AND date BETWEEN %(start)s AND %(end)s GROUP BY 1) v
                     ON v.partner_id = p.id
              LEFT JOIN scorecards_target t ON t.partner_id = p.id AND t.kpi_id = k.id AND t.period = %(q)s
              WHERE p.tenant_id = %(t)s AND k.tenant_id = %(t)s AND k.active
                AND p.stage IN ('signed', 'certified');
            INSERT INTO scorecards_scorecard (tenant_id, partner_id, period, score, tier, region, rank,
              cohort_size, dimensions, computed_at)
            SELECT %(t)s, partner_id, %(q)s,
                   round(sum(weight * least(100 * actual / nullif(target, 0), 150)) / nullif(sum(weight), 0), 2),
                   '', min(region), rank() OVER (ORDER BY sum(actual) DESC), count(*) OVER (), '{}'::jsonb, now()
            FROM floor_actuals GROUP BY partner_id;
            INSERT INTO scorecards_scorecardline (tenant_id, scorecard_id, kpi_id, code, name, dimension,
              direction, target, actual, attainment, weight, points, position)
            SELECT %(t)s, c.id, a.kpi_id, a.code, a.name, a.dimension, a.direction, a.target, a.actual,
                   round(least(100 * a.actual / nullif(a.target, 0), 9999), 4), a.weight,
                   round(least(100 * a.actual / nullif(a.target, 0), 150), 4), a.position
            FROM floor_actuals a JOIN scorecards_scorecard c
              ON c.partner_id = a.partner_id AND c.tenant_id = %(t)s AND c.period = %(q)s;
            """,
            params,
        )
        cursor.execute("SELECT count(*) FROM scorecards_scorecardline WHERE tenant_id = %s", [tenant.pk])
        return cursor.fetchone()[0]


def payouts_floor(tenant, run_id: int, rules: int) -> int:
    """Per partner and rule, the quarter's sales aggregated with their ids, and one line each."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            DELETE FROM incentives_payoutline WHERE tenant_id = %(t)s AND run_id = %(run)s;
            INSERT INTO incentives_payoutline (tenant_id, run_id, partner_id, rule_id, rule_version, kind, amount,
              currency, explanation, source)
            SELECT %(t)s, %(run)s, s.partner_id, r.id, r.version, r.kind, round(s.revenue * 0.04, 2), 'EUR',
                   r.name || ': 4%% of ' || s.revenue, jsonb_build_object('sales', s.ids, 'revenue', s.revenue)
            FROM (SELECT partner_id, sum(amount) AS revenue, array_agg(id) AS ids FROM partners_sale
                  WHERE tenant_id = %(t)s AND date BETWEEN %(start)s AND %(end)s GROUP BY partner_id) s
            CROSS JOIN (SELECT * FROM incentives_incentiverule WHERE tenant_id = %(t)s AND is_current
                        ORDER BY id LIMIT %(rules)s) r;
            """,
            {"t": tenant.pk, "run": run_id, "rules": rules, "start": f"{YEAR}-07-01", "end": f"{YEAR}-09-30"},
        )
        return cursor.rowcount

"""Raw SQL floors: the same aggregates over the same rows, writing the same rows, in a statement or three.

Each floor is what a computation costs at the least on this database: the
product is measured against it in the same run (``bench/run.py``). A floor
reads what the product reads (sales converted at the rate of their date,
the inputs other apps register, the health signals, the duplicate-sale
audit), decides what the product decides, and writes the same columns of
the same number of rows; only the Python in between is left out. A floor
that meets a rule kind, KPI source, willingness input or health signal it
does not know stops with ``NotImplementedError`` instead of measuring less
than the product does: add its SQL here with it.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from incentives.programme import incentive_programme_for
from onboarding.programme import onboarding_programme_for
from partners.programme.settings import programme_for
from prm.periods import parse_period
from scorecards.programme import scorecard_programme_for

from .generate import QUARTER


def _no_jit(cursor) -> None:
    """Without JIT compilation for this transaction: a floor is one large statement whose estimated
    cost sets off seconds of compiling (more than its execution) for a plan run once."""
    cursor.execute("SET LOCAL jit = off")


def _rate(sale: str) -> str:
    """What one unit of the sale's currency is in the tenant's, at the latest rate on or before its
    date (``prm.currency.conversion``: 1 for the tenant's own currency, NULL without a rate)."""
    return f"""CASE WHEN {sale}.currency = %(cur)s THEN 1::numeric ELSE (
                 SELECT r.rate FROM incentives_exchangerate r
                 WHERE r.tenant_id = %(t)s AND r.currency = {sale}.currency AND r.date <= {sale}.date
                 ORDER BY r.date DESC LIMIT 1) END"""


#: A partner's foreign sales as ``prm.currency.conversion.conversions`` keeps them, from rows of
#: ``(currency, amount, converted)`` per partner and currency.
_CONVERSIONS = """jsonb_agg(jsonb_build_object(
        'currency', currency, 'amount', amount::text, 'converted', round(converted, 2)::text,
        'rate', CASE WHEN amount <> 0 THEN round(converted / amount, 6)::text END) ORDER BY currency)
    FILTER (WHERE currency <> %(cur)s AND converted IS NOT NULL)"""

#: Health signals (``partners.health.signals``): code → the CTE that gives each flagged partner its params.
_HEALTH = {
    "quiet": """
        SELECT p.id AS partner_id, jsonb_build_object('days', %(quiet_days)s) AS params
        FROM partners_partner p
        WHERE p.tenant_id = %(t)s AND p.stage = ANY(%(selling)s) AND p.stage_entered_at < %(quiet_since)s
          -- one index probe per settled partner (OFFSET 0 keeps the planner from hashing every recent sale)
          AND NOT EXISTS (SELECT 1 FROM partners_sale s WHERE s.tenant_id = %(t)s AND s.partner_id = p.id
                          AND s.date >= %(quiet_since_date)s OFFSET 0)
          AND NOT EXISTS (SELECT 1 FROM partners_dealregistration d WHERE d.tenant_id = %(t)s
                          AND d.partner_id = p.id AND d.registered_at >= %(quiet_since)s OFFSET 0)""",
    "stage_overdue": """
        SELECT id AS partner_id, jsonb_build_object(
                 'stage', stage, 'days', floor(extract(epoch FROM %(now)s - stage_due_at) / 86400)::int) AS params
        FROM partners_partner WHERE tenant_id = %(t)s AND stage_due_at < %(now)s""",
    "large_return": f"""
        SELECT DISTINCT ON (partner_id) partner_id, jsonb_build_object(
                 'amount', round(-converted, 2)::text, 'currency', %(cur)s, 'date', date::text) AS params
        FROM (SELECT s.partner_id, s.date, s.amount * {_rate("s")} AS converted FROM partners_sale s
              WHERE s.tenant_id = %(t)s AND s.date >= %(return_since)s AND s.amount < 0) r
        WHERE converted <= -%(return_amount)s
        ORDER BY partner_id, converted""",
    "leads_ignored": """
        SELECT partner_id, jsonb_build_object('count', count(*)) AS params FROM leads_leadoffer
        WHERE tenant_id = %(t)s AND outcome = 'expired' AND offered_at >= %(leads_since)s
        GROUP BY partner_id HAVING count(*) >= 2""",
    "score_falling": """
        SELECT a.partner_id, jsonb_build_object(
                 'scores', jsonb_build_array(b.previous_score::text, b.score::text, a.score::text),
                 'period', a.period) AS params
        FROM (SELECT partner_id, period, score, previous_score,
                     row_number() OVER (PARTITION BY partner_id ORDER BY period DESC) AS n
              FROM scorecards_scorecard WHERE tenant_id = %(t)s) a
        JOIN (SELECT partner_id, score, previous_score,
                     row_number() OVER (PARTITION BY partner_id ORDER BY period DESC) AS n
              FROM scorecards_scorecard WHERE tenant_id = %(t)s) b ON b.partner_id = a.partner_id AND b.n = 2
        WHERE a.n = 1 AND a.score < a.previous_score AND b.score < b.previous_score""",
    "training_expiring": """
        SELECT DISTINCT ON (x.partner_id) x.partner_id,
               jsonb_build_object('course', c.name, 'date', x.expires_on::text) AS params
        FROM onboarding_completion x JOIN onboarding_course c ON c.id = x.course_id AND c.tenant_id = %(t)s
        WHERE x.tenant_id = %(t)s AND c.required_for_certification
          AND x.expires_on BETWEEN %(today)s AND %(expiring_until)s
          AND NOT EXISTS (SELECT 1 FROM onboarding_completion y WHERE y.tenant_id = %(t)s
                          AND y.partner_id = x.partner_id AND y.course_id = x.course_id
                          AND y.completed_on > x.completed_on)
        ORDER BY x.partner_id, x.expires_on""",
}

#: Willingness inputs other apps register (``partners.tiering.recompute``): name → partner_id, score 0–100.
_WILLINGNESS = {
    "training": """
        SELECT p.id AS partner_id, 100.0 * coalesce(h.n, 0) / c.n AS score
        FROM (SELECT count(*) AS n FROM onboarding_course
              WHERE tenant_id = %(t)s AND required_for_certification) c
        CROSS JOIN partners_partner p
        LEFT JOIN (SELECT x.partner_id, count(DISTINCT x.course_id) AS n FROM onboarding_completion x
                   JOIN onboarding_course k ON k.id = x.course_id AND k.tenant_id = %(t)s
                   WHERE x.tenant_id = %(t)s AND k.required_for_certification
                     AND (x.expires_on IS NULL OR x.expires_on >= %(today)s)
                   GROUP BY 1) h ON h.partner_id = p.id
        WHERE c.n > 0 AND p.tenant_id = %(t)s AND (p.stage IN ('signed', 'certified') OR h.n IS NOT NULL)""",
    "leads": """
        SELECT partner_id, 100.0 * count(*) FILTER (WHERE outcome = 'accepted') / count(*) AS score
        FROM leads_leadoffer
        WHERE tenant_id = %(t)s AND offered_at >= %(since)s AND outcome IN ('accepted', 'declined', 'expired')
        GROUP BY partner_id""",
}


def _fmt(amount: str) -> str:
    """``incentives.money.fmt``: 12400 -> '12 400.00' (rounded half up to cents)."""
    return f"replace(to_char(round({amount}, 2), 'FM999,999,999,999,999,990.00'), ',', ' ')"


def _pct(rate: str) -> str:
    """``incentives.money.pct`` of a rate parameter: '4' -> '4%'."""
    return f"(trim_scale(({rate})::numeric)::text || '%%')"


def _percentile(key: str) -> str:
    """``partners.tiering.rule.percentile`` (mid-rank, 0–100) among the sellers, from the window counts
    ``{key}_le`` (sellers at or below the value) and ``{key}_eq`` (sellers equal to it)."""
    return f"""CASE WHEN n <= 1 THEN CASE WHEN n = 1 THEN 50.0 ELSE 0.0 END
                    ELSE round(least(100, greatest(0, 100.0 * ({key}_le - {key}_eq + ({key}_eq - 1) / 2.0)
                                                       / (n - 1))), 1) END"""


def tiers_floor(tenant) -> int:
    """Every active partner's tier and health, as ``tiers_recompute``: one statement.

    Per partner over the tier window: revenue converted to the tenant's currency at each sale date's
    rate (and the conversions behind it), deal registrations (won, lost, self-sourced), visits that met
    their goal, the willingness inputs other apps register (training held, leads accepted), the
    latest tier assessment; the revenue and registration percentiles among the sellers; the three
    axes blended and decided by the tier table; the six health signals and the status they add up
    to. Writes the tier, its axes and inputs, the health and its reasons (one UPDATE of every active
    partner) and a tier change (health change) where the tier (health) changed.
    """
    from partners.health.signals import signals
    from partners.tiering.recompute import _willingness_inputs

    programme = programme_for(tenant)
    now = timezone.now()
    today = timezone.localdate(now)
    weights = {
        name: float(programme.willingness_weights.get(name) or 0)
        for name in ("registrations", "visits", *_willingness_inputs)
    }
    unknown = [name for name in _willingness_inputs if name not in _WILLINGNESS] + [
        s.code for s in signals() if s.code not in _HEALTH
    ]
    if unknown:
        raise NotImplementedError(f"bench/floors.py has no SQL for {', '.join(unknown)}")
    extras = sorted(name for name in _willingness_inputs if weights[name])  # measured when weighted
    quiet_since = now - timedelta(days=programme.health_quiet_days)
    params = {
        "t": tenant.pk,
        "cur": tenant.currency,
        "now": now,
        "today": today,
        "since": now - timedelta(days=programme.tier_window_days),
        "since_date": (now - timedelta(days=programme.tier_window_days)).date(),
        "rw": programme.revenue_weight,
        "aw": programme.assessment_weight,
        "selling": list(programme.selling_stages),
        "quiet_days": programme.health_quiet_days,
        "quiet_since": quiet_since,
        "quiet_since_date": quiet_since.date(),
        "return_since": (now - timedelta(days=90)).date(),
        "return_amount": programme.health_return_amount,
        "leads_since": now - timedelta(days=30),
        "expiring_until": today
        + timedelta(days=onboarding_programme_for(tenant).certification_reminder_days or 30),
        "tier_table": json.dumps(programme.tier_table),
        **{f"thr_{axis}": float(value) for axis, value in programme.thresholds.items()},
        **{f"w_{name}": weight for name, weight in weights.items()},
    }
    extra_ctes = "".join(f", x_{name} AS ({_WILLINGNESS[name]})" for name in extras)
    extra_joins = "".join(f" LEFT JOIN x_{name} ON x_{name}.partner_id = p.id" for name in extras)
    extra_cols = "".join(f", x_{name}.score AS x_{name}" for name in extras)
    # the willingness parts in the product's order: registrations, visits, then the extras by name
    parts = [
        ("registrations", "any_regs", "reg_pct"),
        ("visits", "visits > 0", "100.0 * met / nullif(visits, 0)"),
    ]
    parts += [(name, f"x_{name} IS NOT NULL", f"x_{name}") for name in extras]
    used = [(name, f"({cond})", score) for name, cond, score in parts if weights[name]]
    willingness = (
        "CASE WHEN "
        + " OR ".join(f"({c})" for _, c, _s in used)
        + " THEN ("
        + " + ".join(f"CASE WHEN {c} THEN {s} * %(w_{n})s ELSE 0 END" for n, c, s in used)
        + ") / ("
        + " + ".join(f"CASE WHEN {c} THEN %(w_{n})s ELSE 0 END" for n, c, _s in used)
        + ") END"
        if used
        else "NULL::numeric"
    )
    willingness_list = (
        "NULLIF("
        + " || ".join(
            f"CASE WHEN {c} THEN jsonb_build_array(jsonb_build_object('input', '{n}', 'score', round({s}, 1), "
            f"'weight', %(w_{n})s)) ELSE '[]'::jsonb END"
            for n, c, s in used
        )
        + ", '[]'::jsonb)"
        if used
        else "NULL::jsonb"
    )
    extra_inputs = "".join(f", '{name}_score', round(x_{name}, 1)" for name in extras)
    health_ctes = "".join(f", h_{s.code} AS ({_HEALTH[s.code]})" for s in signals())
    health_joins = "".join(f" LEFT JOIN h_{s.code} ON h_{s.code}.partner_id = p.id" for s in signals())
    reasons = (
        " || ".join(
            f"CASE WHEN h_{s.code}.partner_id IS NULL THEN '[]'::jsonb ELSE jsonb_build_array("
            f"jsonb_build_object('code', '{s.code}', 'params', h_{s.code}.params)) END"
            for s in signals()
        )
        or "'[]'::jsonb"
    )
    weight = (
        " + ".join(f"CASE WHEN h_{s.code}.partner_id IS NULL THEN 0 ELSE {s.weight} END" for s in signals())
        or "0"
    )
    axis = """jsonb_build_object('score', round({s}, 1), 'measured', round({m}, 1), 'assessed', {a},
                                 'threshold', %(thr_{x})s, 'strong', coalesce({s} >= %(thr_{x})s, false))"""
    sql = f"""
        WITH sales AS (  -- the window's sales per partner and currency, converted at each sale date's rate
              SELECT partner_id, currency, sum(amount) FILTER (WHERE rate IS NOT NULL) AS amount,
                     sum(amount * rate) AS converted
              FROM (SELECT s.partner_id, s.currency, s.amount, {_rate("s")} AS rate FROM partners_sale s
                    WHERE s.tenant_id = %(t)s AND s.date >= %(since_date)s) s
              GROUP BY 1, 2),
             revenue AS (SELECT partner_id, coalesce(sum(converted), 0) AS revenue, {_CONVERSIONS} AS conversions
                         FROM sales GROUP BY 1),
             deals AS (SELECT partner_id, count(*) AS regs, count(*) FILTER (WHERE status = 'won') AS won,
                              count(*) FILTER (WHERE status = 'lost') AS lost,
                              count(*) FILTER (WHERE self_sourced) AS own
                       FROM partners_dealregistration WHERE tenant_id = %(t)s AND registered_at >= %(since)s
                       GROUP BY 1),
             visits AS (SELECT partner_id, count(*) AS visits, count(*) FILTER (WHERE goal_met) AS met
                        FROM partners_visit WHERE tenant_id = %(t)s AND date >= %(since_date)s GROUP BY 1),
             assessed AS (SELECT DISTINCT ON (partner_id) partner_id, ratings FROM partners_assessment
                          WHERE tenant_id = %(t)s AND kind = 'tier' ORDER BY partner_id, date DESC, id DESC)
             {extra_ctes}
             {health_ctes},
             facts AS (
              SELECT p.id, p.computed_tier AS old_tier, p.health AS old_health,
                     coalesce(r.revenue, 0) AS revenue, r.conversions, coalesce(d.regs, 0) AS regs,
                     coalesce(d.won, 0) AS won, coalesce(d.lost, 0) AS lost, coalesce(d.own, 0) AS own,
                     coalesce(v.visits, 0) AS visits, coalesce(v.met, 0) AS met,
                     (CASE WHEN jsonb_typeof(a.ratings -> 'competitiveness') = 'object'
                           THEN (a.ratings -> 'competitiveness' ->> 'score')::int END - 1) * 25.0 AS a_c,
                     (CASE WHEN jsonb_typeof(a.ratings -> 'willingness') = 'object'
                           THEN (a.ratings -> 'willingness' ->> 'score')::int END - 1) * 25.0 AS a_w,
                     (CASE WHEN jsonb_typeof(a.ratings -> 'autonomy') = 'object'
                           THEN (a.ratings -> 'autonomy' ->> 'score')::int END - 1) * 25.0 AS a_a,
                     -- partners are measured against those that sell (tiers.SELLING_STAGES; all while none does)
                     CASE WHEN bool_or(p.stage IN ('strategic', 'signed', 'certified')) OVER ()
                          THEN p.stage IN ('strategic', 'signed', 'certified') ELSE true END AS seller,
                     {reasons} AS reasons, {weight} AS weight
                     {extra_cols}
              FROM partners_partner p LEFT JOIN revenue r ON r.partner_id = p.id
              LEFT JOIN deals d ON d.partner_id = p.id LEFT JOIN visits v ON v.partner_id = p.id
              LEFT JOIN assessed a ON a.partner_id = p.id {extra_joins} {health_joins}
              WHERE p.tenant_id = %(t)s AND p.stage <> 'lost'),
             cohort AS (
              SELECT f.*, count(*) FILTER (WHERE seller) OVER () AS n,
                     count(*) FILTER (WHERE seller) OVER (ORDER BY revenue) AS rev_le,
                     count(*) FILTER (WHERE seller) OVER (PARTITION BY revenue) AS rev_eq,
                     count(*) FILTER (WHERE seller) OVER (ORDER BY regs) AS reg_le,
                     count(*) FILTER (WHERE seller) OVER (PARTITION BY regs) AS reg_eq,
                     coalesce(bool_or(revenue <> 0) FILTER (WHERE seller) OVER (), false) AS any_revenue,
                     coalesce(bool_or(regs <> 0) FILTER (WHERE seller) OVER (), false) AS any_regs
              FROM facts f),
             measured AS MATERIALIZED (
              SELECT c.*, {_percentile("rev")} AS rev_pct, {_percentile("reg")} AS reg_pct
              FROM cohort c),
             axes AS (
              SELECT m.*,
                     CASE WHEN any_revenue THEN CASE WHEN won + lost > 0
                          THEN %(rw)s * rev_pct + (1 - %(rw)s) * 100.0 * won / (won + lost) ELSE rev_pct END
                     END AS m_c,
                     {willingness} AS m_w,
                     CASE WHEN regs > 0 THEN 100.0 * own / regs END AS m_a
              FROM measured m),
             blended AS MATERIALIZED (
              SELECT x.*, coalesce((1 - %(aw)s) * m_c + %(aw)s * a_c, m_c, a_c) AS s_c,
                     coalesce((1 - %(aw)s) * m_w + %(aw)s * a_w, m_w, a_w) AS s_w,
                     coalesce((1 - %(aw)s) * m_a + %(aw)s * a_a, m_a, a_a) AS s_a
              FROM axes x),
             decided AS (
              SELECT b.id, b.old_tier, b.old_health, b.reasons,
                     CASE WHEN weight >= 2 THEN 'at_risk' WHEN weight >= 1 THEN 'watch' ELSE 'ok' END AS health,
                     rule, %(tier_table)s::jsonb ->> rule AS tier,
                     jsonb_build_object(
                       'axes', jsonb_build_object(
                         'competitiveness', {axis.format(s="s_c", m="m_c", a="a_c", x="competitiveness")},
                         'willingness', {axis.format(s="s_w", m="m_w", a="a_w", x="willingness")},
                         'autonomy', {axis.format(s="s_a", m="m_a", a="a_a", x="autonomy")}),
                       'inputs', jsonb_strip_nulls(jsonb_build_object(
                         'revenue', CASE WHEN any_revenue THEN round(revenue, 2) END,
                         'revenue_converted', CASE WHEN any_revenue THEN conversions END,
                         'revenue_percentile', CASE WHEN any_revenue THEN rev_pct END,
                         'win_rate', CASE WHEN any_revenue AND won + lost > 0
                                          THEN round(1.0 * won / (won + lost), 3) END,
                         'registrations', CASE WHEN any_regs THEN regs END,
                         'registrations_percentile', CASE WHEN any_regs THEN reg_pct END,
                         'visits', CASE WHEN visits > 0 THEN visits END,
                         'visits_goal_met_rate', CASE WHEN visits > 0 THEN round(1.0 * met / visits, 3) END,
                         'willingness', {willingness_list},
                         'self_sourced_share', CASE WHEN regs > 0 THEN round(1.0 * own / regs, 3) END
                         {extra_inputs})),
                       'rule', rule) AS why
              FROM (SELECT b.*, CASE WHEN s_c >= %(thr_competitiveness)s THEN 'S' ELSE 'W' END
                                || CASE WHEN s_w >= %(thr_willingness)s THEN 'H' ELSE 'L' END
                                || CASE WHEN s_a >= %(thr_autonomy)s THEN 'S' ELSE 'W' END AS rule
                    FROM blended b) b),
             tier_changes AS (
              INSERT INTO partners_tierchange (tenant_id, partner_id, from_tier, to_tier, is_override, axes, reason,
                                               changed_at)
              SELECT %(t)s, id, coalesce(old_tier, ''), tier, false, why, '', %(now)s FROM decided
              WHERE tier IS DISTINCT FROM old_tier),
             health_changes AS (
              INSERT INTO partners_healthchange (tenant_id, partner_id, from_health, to_health, reasons, changed_at)
              SELECT %(t)s, id, coalesce(nullif(old_health, ''), 'ok'), health, reasons, %(now)s FROM decided
              WHERE health IS DISTINCT FROM old_health)
        UPDATE partners_partner p
        SET computed_tier = d.tier, tier_axes = d.why, tier_computed_at = %(now)s,
            health = d.health, health_reasons = d.reasons, health_computed_at = %(now)s
        FROM decided d WHERE p.id = d.id AND p.tenant_id = %(t)s
    """
    with connection.cursor() as cursor:
        _no_jit(cursor)
        cursor.execute(sql, params)
        return cursor.rowcount


#: KPI sources (``scorecards.sources`` and the apps that register theirs): source → the CTE giving
#: ``partner_id, v`` for every partner in the source's answer (``v`` NULL: undefined, left out).
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

    Per scored partner and active KPI: the source's actual (revenue converted at each sale date's
    rate, growth against the previous quarter, deal registrations, win rate, product registrations,
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
            f"bench/floors.py has no SQL for {', '.join(sorted(sources - set(_KPI_SOURCES)))}"
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
            WITH sales AS (  -- this quarter's and the previous one's, converted at each sale date's rate
                  SELECT partner_id, date, currency, amount, amount * rate AS converted
                  FROM (SELECT s.partner_id, s.date, s.currency, s.amount, {_rate("s")} AS rate FROM partners_sale s
                        WHERE s.tenant_id = %(t)s AND s.date BETWEEN %(before)s AND %(end)s) s),
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


def payouts_floor(tenant, run_id: int, rules: int) -> int:
    """Recompute the quarter's draft run as ``payout_run_compute``: two deletes and one statement.

    The paid partners' sales of the quarter converted at each sale date's rate; per partner and
    current rule (eligible by tier, stage and region; the rule's products and dates) the volume, the
    units of a SPIF's product, and the sales' ids, external ids and rates; the rule's amount
    (commission brackets, tier multiplier and cap; rebate over its threshold; SPIF per unit; points
    per step of volume), rounded once to cents. Writes as many payout lines as the product, each with
    its sales in ``source``, the points entries, and the run's warnings as rows, each with its count
    and first sales (the duplicate-sale audit: one GROUP BY over the sales' customer keys; partners
    paid before they are signed; totals far above their history; sales paid by two rules of one
    kind) and total. ``rules`` (how many rules are
    current, from ``bench/run.py``) is not needed: the floor pays the current, active rules, as the
    product does.
    """
    from incentives.choices import FINAL_RUN_STATUSES
    from incentives.models import IncentiveRule
    from incentives.run_warnings import SALES_KEPT

    period = parse_period(QUARTER)
    programme = incentive_programme_for(tenant)
    current = IncentiveRule.objects.for_tenant(tenant).filter(is_current=True, active=True)
    unknown = [
        r.name
        for r in current
        if r.kind not in ("commission", "rebate", "spif", "points")
        or (r.kind == "commission" and "brackets" not in r.params and "rate" not in r.params)
    ]
    if unknown:
        raise NotImplementedError(f"bench/floors.py has no SQL for the rules {', '.join(unknown)}")
    params = {
        "t": tenant.pk,
        "cur": tenant.currency,
        "run": run_id,
        "start": period.start,
        "end": period.end,
        "all_stages": programme.pay_unsigned_partners,
        "final": list(FINAL_RUN_STATUSES),
        "jump_factor": programme.jump_factor,
        "jump_minimum": programme.jump_minimum,
        "factor": f"{float(programme.jump_factor):g}",
        "kept": SALES_KEPT,
        "first": f"$[0 to {SALES_KEPT - 1}]",
    }
    with connection.cursor() as cursor:
        _no_jit(cursor)
        cursor.execute(
            """
            DELETE FROM incentives_payoutline WHERE tenant_id = %(t)s AND run_id = %(run)s AND kind <> 'adjustment';
            DELETE FROM incentives_pointsentry WHERE tenant_id = %(t)s AND run_id = %(run)s;
            DELETE FROM incentives_payoutrunwarning WHERE tenant_id = %(t)s AND run_id = %(run)s;
            """,
            params,
        )
        cursor.execute(
            f"""
            WITH paid AS (SELECT id, name, stage, region, coalesce(nullif(tier_override, ''), computed_tier, '') AS tier
                          FROM partners_partner WHERE tenant_id = %(t)s AND stage <> 'lost'
                            AND (%(all_stages)s OR stage IN ('signed', 'certified'))),
                 sales AS MATERIALIZED (
                  SELECT s.id, s.external_id, s.partner_id, s.date, s.product, s.quantity, s.amount, s.currency,
                         s.customer, s.customer_key, {_rate("s")} AS rate
                  FROM partners_sale s JOIN paid p ON p.id = s.partner_id
                  WHERE s.tenant_id = %(t)s AND s.date BETWEEN %(start)s AND %(end)s),
                 mine AS MATERIALIZED (  -- per partner, all its sales: what most rules look at
                  SELECT partner_id, count(*) AS n, sum(amount * rate) AS volume,
                         jsonb_agg(id ORDER BY date, id) AS ids, jsonb_agg(external_id ORDER BY date, id) AS external_ids,
                         coalesce(jsonb_object_agg(currency || '@' || date, rate::text) FILTER (WHERE rate <> 1), '{{}}')
                           AS rates
                  FROM sales GROUP BY partner_id),
                 rules AS (  -- the current rules and the partners each may pay (tier, stage and region)
                  SELECT r.id AS rule_id, r.version, r.kind, r.name, r.params, r.products, r.valid_from, r.valid_to,
                         p.id AS partner_id, p.tier,
                         -- does the rule look at a selection of the sales (products, dates, a SPIF's product)?
                         r.products <> '[]' OR r.valid_from IS NOT NULL OR r.valid_to IS NOT NULL OR r.kind = 'spif'
                           AS selects
                  FROM incentives_incentiverule r JOIN paid p
                    ON (r.tiers = '[]' OR r.tiers ? p.tier) AND (r.stages = '[]' OR r.stages ? p.stage)
                   AND (r.regions = '[]' OR r.regions ? p.region)
                  WHERE r.tenant_id = %(t)s AND r.is_current AND r.active
                    AND (r.valid_from IS NULL OR r.valid_from <= %(end)s) AND (r.valid_to IS NULL OR r.valid_to >= %(start)s)),
                 facts AS (  -- per partner and rule: the volume, units and sales the rule looks at
                  SELECT r.rule_id, r.version, r.kind, r.name, r.params, r.partner_id, r.tier, m.volume, NULL AS units,
                         jsonb_build_object('sales', m.ids, 'external_ids', m.external_ids, 'rates', m.rates) AS source
                  FROM rules r JOIN mine m USING (partner_id) WHERE NOT r.selects
                  UNION ALL
                  SELECT r.rule_id, r.version, r.kind, r.name, r.params, r.partner_id, r.tier,
                         sum(s.amount * s.rate),
                         sum(CASE WHEN s.amount >= 0 THEN abs(s.quantity) ELSE -abs(s.quantity) END),
                         jsonb_build_object(
                           'sales', jsonb_agg(s.id ORDER BY s.date, s.id),
                           'external_ids', jsonb_agg(s.external_id ORDER BY s.date, s.id),
                           'rates', coalesce(jsonb_object_agg(s.currency || '@' || s.date, s.rate::text)
                                               FILTER (WHERE s.rate <> 1), '{{}}'))
                  FROM rules r JOIN sales s ON s.partner_id = r.partner_id
                   AND (r.products = '[]' OR r.products ? s.product)
                   AND (r.valid_from IS NULL OR s.date >= r.valid_from) AND (r.valid_to IS NULL OR s.date <= r.valid_to)
                   AND (r.kind <> 'spif' OR s.product = r.params ->> 'product')
                  WHERE r.selects
                  GROUP BY r.rule_id, r.version, r.kind, r.name, r.params, r.partner_id, r.tier),
                 drafts AS (  -- each rule kind's amount and words (incentives.rules.kinds)
                  SELECT f.partner_id, f.rule_id, f.version, f.kind, f.name, f.source, f.volume, f.units, d.amount,
                         f.name || ': ' || d.words AS explanation,
                         CASE WHEN f.kind = 'points' THEN e.points END AS points
                  FROM facts f
                  CROSS JOIN LATERAL (
                    SELECT trunc(f.volume / nullif((f.params ->> 'per_amount')::numeric, 0))::int
                           * (f.params ->> 'points')::int AS points,
                           coalesce((f.params -> 'tier_multipliers' ->> f.tier)::numeric, 1) AS multiplier,
                           (f.params ->> 'cap')::numeric AS cap) e
                  CROSS JOIN LATERAL (  -- commission: flat, or brackets (marginal or retroactive)
                    SELECT CASE WHEN f.params ? 'rate' THEN f.volume * (f.params ->> 'rate')::numeric / 100
                                WHEN f.volume < 0 THEN f.volume * (f.params -> 'brackets' -> 0 ->> 'rate')::numeric / 100
                                WHEN f.params ->> 'mode' = 'retroactive'
                                THEN f.volume * (array_agg((b ->> 'rate')::numeric ORDER BY n DESC)
                                                   FILTER (WHERE f.volume >= (b ->> 'from')::numeric))[1] / 100
                                ELSE coalesce(sum((least(f.volume, coalesce((b ->> 'to')::numeric, f.volume))
                                                   - (b ->> 'from')::numeric) * (b ->> 'rate')::numeric / 100)
                                                FILTER (WHERE f.volume > (b ->> 'from')::numeric), 0) END AS amount,
                           CASE WHEN f.params ? 'rate' THEN {_pct("f.params ->> 'rate'")} || ' of ' || {_fmt("f.volume")}
                                WHEN f.volume < 0 THEN {_pct("f.params -> 'brackets' -> 0 ->> 'rate'")} || ' of '
                                  || {_fmt("f.volume")} || ' (returns claw back)'
                                WHEN f.params ->> 'mode' = 'retroactive'
                                THEN (array_agg({_pct("b ->> 'rate'")} || ' of ' || {_fmt("f.volume")} || ' (bracket '
                                                || {_fmt("(b ->> 'from')::numeric")} || '–'
                                                || coalesce({_fmt("(b ->> 'to')::numeric")}, '∞') || ' reached, on all of it)'
                                                ORDER BY n DESC) FILTER (WHERE f.volume >= (b ->> 'from')::numeric))[1]
                                ELSE string_agg({_pct("b ->> 'rate'")} || ' of '
                                                || {_fmt("least(f.volume, coalesce((b ->> 'to')::numeric, f.volume)) - (b ->> 'from')::numeric")}
                                                || ' in bracket ' || {_fmt("(b ->> 'from')::numeric")} || '–'
                                                || coalesce({_fmt("(b ->> 'to')::numeric")}, '∞'), '; ' ORDER BY n)
                                       FILTER (WHERE f.volume > (b ->> 'from')::numeric) END AS words
                    FROM jsonb_array_elements(CASE WHEN f.kind = 'commission' AND f.params ? 'brackets'
                                                   THEN f.params -> 'brackets' END) WITH ORDINALITY AS e(b, n)) c
                  CROSS JOIN LATERAL (
                    SELECT CASE f.kind WHEN 'commission' THEN least(c.amount * e.multiplier, coalesce(e.cap, 'Infinity'))
                                       WHEN 'rebate' THEN f.volume * (f.params ->> 'rate')::numeric / 100
                                       WHEN 'spif' THEN f.units * (f.params ->> 'amount_per_unit')::numeric
                                       ELSE 0 END AS amount,
                           CASE f.kind WHEN 'commission' THEN c.words
                                  || CASE WHEN e.multiplier <> 1
                                          THEN ', × ' || trim_scale(e.multiplier) || ' for tier ' || f.tier ELSE '' END
                                  || CASE WHEN c.amount * e.multiplier > e.cap THEN ', capped at ' || {_fmt("e.cap")}
                                          ELSE '' END
                                  WHEN 'rebate' THEN {_pct("f.params ->> 'rate'")} || ' rebate on ' || {_fmt("f.volume")}
                                  || ' (threshold ' || {_fmt("(f.params ->> 'threshold')::numeric")} || ' crossed)'
                                  WHEN 'spif' THEN trim_scale(f.units) || ' × '
                                  || {_fmt("(f.params ->> 'amount_per_unit')::numeric")} || ' for ' || (f.params ->> 'product')
                                  ELSE e.points || ' points: ' || (f.params ->> 'points') || ' per '
                                  || {_fmt("(f.params ->> 'per_amount')::numeric")} || ' of ' || {_fmt("f.volume")}
                           END AS words,
                           CASE f.kind WHEN 'rebate' THEN f.volume >= (f.params ->> 'threshold')::numeric
                                       WHEN 'spif' THEN f.units <> 0
                                       WHEN 'points' THEN e.points <> 0 ELSE true END AS pays) d
                  WHERE d.pays),
                 written AS (
                  INSERT INTO incentives_payoutline (tenant_id, run_id, partner_id, rule_id, rule_version, kind, amount,
                    currency, explanation, source)
                  SELECT %(t)s, %(run)s, partner_id, rule_id, version, kind, round(amount, 2), %(cur)s, explanation,
                         source || CASE kind WHEN 'spif' THEN jsonb_build_object('units', units::text)
                                             WHEN 'points' THEN jsonb_build_object('points', points)
                                             ELSE jsonb_build_object('volume', volume::text) END
                  FROM drafts
                  RETURNING partner_id, amount),
                 points AS (
                  INSERT INTO incentives_pointsentry (tenant_id, run_id, partner_id, rule_id, points, reason, created_at)
                  SELECT %(t)s, %(run)s, partner_id, rule_id, points, left(explanation, 255), now() FROM drafts
                  WHERE points <> 0),
                 duplicates AS (  -- the same customer, product, day and amount booked by several partners
                  SELECT 'duplicate_sale' AS code, 0 AS rank, NULL::bigint AS partner_id,
                         row_number() OVER (ORDER BY date, first) - 1 AS position,
                         jsonb_build_object('customer', coalesce(nullif(customer_key, ''), '—'), 'product', product,
                                            'date', date::text, 'amount', amount::text,
                                            'partners', array_to_string(names[1:%(kept)s], ', ')
                                                        || CASE WHEN partners > %(kept)s THEN ', …' ELSE '' END)
                           AS params,
                         jsonb_build_object('sales_count', n, 'sales', to_jsonb(ids[1:%(kept)s]),
                                            'partners_count', partners) AS facts
                  FROM (SELECT d.customer_key, d.product, d.date, d.amount, min(s.id) AS first, count(*) AS n,
                               array_agg(s.id ORDER BY s.id) AS ids, array_agg(DISTINCT p.name COLLATE "C") AS names,
                               count(DISTINCT p.id) AS partners
                        FROM (SELECT customer_key, product, date, amount FROM sales WHERE customer !~ '^\\s*$'
                              GROUP BY 1, 2, 3, 4 HAVING min(partner_id) <> max(partner_id)) d
                        JOIN sales s USING (customer_key, product, date, amount) JOIN paid p ON p.id = s.partner_id
                        WHERE s.customer !~ '^\\s*$'
                        GROUP BY 1, 2, 3, 4) g),
                 unsigned AS (
                  SELECT 'unsigned_partner', 1, p.id, 0,
                         jsonb_build_object('partner', p.name, 'stage', p.stage, 'n', n),
                         jsonb_build_object('sales_count', n, 'sales', jsonb_path_query_array(ids, %(first)s))
                  FROM paid p JOIN mine m ON m.partner_id = p.id
                  WHERE p.stage NOT IN ('signed', 'certified')),
                 overlapping AS (  -- sales paid by several rules of one volume kind (only where a partner has two)
                  SELECT 'overlapping_rules', 2, partner_id, row_number() OVER (PARTITION BY partner_id ORDER BY first) - 1,
                         jsonb_build_object('n', n, 'rules', names),
                         jsonb_build_object('sales_count', n, 'sales', to_jsonb(sales[1:%(kept)s]))
                  FROM (SELECT o.partner_id, o.names, min(s.id) AS first, count(*) AS n,
                               array_agg(s.id ORDER BY s.date, s.id) AS sales
                        FROM (SELECT d.partner_id, sale::bigint AS sale_id, string_agg(d.name, ', ' ORDER BY d.name) AS names
                              FROM drafts d CROSS JOIN jsonb_array_elements(d.source -> 'sales') AS sale
                              WHERE (d.partner_id, d.kind) IN (
                                      SELECT partner_id, kind FROM drafts WHERE kind IN ('commission', 'rebate', 'spif')
                                      GROUP BY 1, 2 HAVING count(DISTINCT rule_id) > 1)
                              GROUP BY d.partner_id, d.kind, sale HAVING count(*) > 1) o
                        JOIN sales s ON s.id = o.sale_id GROUP BY o.partner_id, o.names) g),
                 jumps AS (
                  SELECT 'jump', 3, t.partner_id, 0,
                         jsonb_build_object('partner', p.name, 'total', round(t.total, 2)::text,
                                            'avg', round(h.average, 2)::text, 'factor', %(factor)s),
                         jsonb_build_object('sales_count', 0, 'sales', '[]'::jsonb)
                  FROM (SELECT partner_id, sum(amount) AS total FROM written GROUP BY 1) t
                  JOIN paid p ON p.id = t.partner_id
                  JOIN (SELECT partner_id, avg(total) AS average
                        FROM (SELECT l.partner_id, l.run_id, sum(l.amount) AS total FROM incentives_payoutline l
                              JOIN incentives_payoutrun r ON r.id = l.run_id AND r.status = ANY(%(final)s)
                              WHERE l.tenant_id = %(t)s GROUP BY 1, 2) runs GROUP BY 1) h ON h.partner_id = t.partner_id
                  WHERE t.total > %(jump_minimum)s AND t.total > %(jump_factor)s * greatest(h.average, 0)),
                 warned AS (  -- the run's warnings, a row each
                  INSERT INTO incentives_payoutrunwarning (tenant_id, run_id, code, rank, partner_id, position, params,
                    facts)
                  SELECT %(t)s, %(run)s, code, rank, partner_id, position, params, facts
                  FROM (SELECT * FROM duplicates UNION ALL SELECT * FROM unsigned UNION ALL SELECT * FROM overlapping
                        UNION ALL SELECT * FROM jumps) w),
                 run AS (
                  UPDATE incentives_payoutrun
                  SET warnings_acknowledged = false, acknowledgements = '{{}}', computed_at = now(),
                      total = (SELECT coalesce(sum(amount), 0) FROM written)
                              + (SELECT coalesce(sum(amount), 0) FROM incentives_payoutline
                                 WHERE tenant_id = %(t)s AND run_id = %(run)s AND kind = 'adjustment')
                  WHERE tenant_id = %(t)s AND id = %(run)s)
            SELECT count(*) FROM written
            """,
            params,
        )
        return cursor.fetchone()[0]

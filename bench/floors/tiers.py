"""The tier recompute's floor (``tiers_recompute``): health signals, willingness inputs, percentiles."""

from __future__ import annotations

import json
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from onboarding.programme import onboarding_programme_for
from partners.programme.settings import programme_for
from pricing.programme import pricing_programme_for

from .sql import _CONVERSIONS, _no_jit

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
    "large_return": """
        SELECT DISTINCT ON (partner_id) partner_id, jsonb_build_object(
                 'amount', round(-converted, 2)::text, 'currency', %(cur)s, 'date', date::text) AS params
        FROM (SELECT s.partner_id, s.date, s.converted FROM partners_sale s
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
    # ``pricing.flags.breaches``: sales below their tier's minimum, registrations below its band
    "price_breach": """
        SELECT partner_id, jsonb_build_object('sales', sum(below_sales)::int, 'deals', sum(below_deals)::int,
                 'days', %(breach_days)s) AS params
        FROM (SELECT s.partner_id, 1 AS below_sales, 0 AS below_deals
              FROM partners_sale s JOIN partners_partner p ON p.id = s.partner_id AND p.tenant_id = %(t)s
              WHERE s.tenant_id = %(t)s AND s.date >= %(breach_since)s AND s.amount > 0 AND s.quantity > 0
                AND EXISTS (SELECT 1 FROM pricing_tierterms tt
                            JOIN pricing_listprice lp ON lp.id = tt.price_id AND lp.tenant_id = %(t)s
                            WHERE tt.tenant_id = %(t)s AND lp.product = s.product AND lp.currency = s.currency
                              AND lp.valid_from <= s.date AND (lp.valid_to IS NULL OR lp.valid_to >= s.date)
                              AND tt.tier = coalesce(nullif(p.tier_override, ''), p.computed_tier)
                              AND tt.minimum_price * s.quantity > s.amount)
              UNION ALL
              SELECT d.partner_id, 0, 1
              FROM partners_dealregistration d JOIN partners_partner p ON p.id = d.partner_id AND p.tenant_id = %(t)s
              WHERE d.tenant_id = %(t)s AND d.status NOT IN ('rejected', 'withdrawn') AND d.product <> ''
                AND (d.registered_at AT TIME ZONE %(tz)s)::date >= %(breach_since)s
                AND EXISTS (SELECT 1 FROM pricing_tierterms tt
                            JOIN pricing_listprice lp ON lp.id = tt.price_id AND lp.tenant_id = %(t)s
                            WHERE tt.tenant_id = %(t)s AND lp.product = d.product AND lp.currency = d.currency
                              AND lp.valid_from <= (d.registered_at AT TIME ZONE %(tz)s)::date
                              AND (lp.valid_to IS NULL OR lp.valid_to >= (d.registered_at AT TIME ZONE %(tz)s)::date)
                              AND tt.tier = coalesce(nullif(p.tier_override, ''), p.computed_tier)
                              AND lp.list_price * (100 - tt.max_discount) / 100 > d.expected_amount)) b
        GROUP BY partner_id""",
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


def _percentile(key: str) -> str:
    """``partners.tiering.rule.percentile`` (mid-rank, 0–100) among the sellers, from the window counts
    ``{key}_le`` (sellers at or below the value) and ``{key}_eq`` (sellers equal to it)."""
    return f"""CASE WHEN n <= 1 THEN CASE WHEN n = 1 THEN 50.0 ELSE 0.0 END
                    ELSE round(least(100, greatest(0, 100.0 * ({key}_le - {key}_eq + ({key}_eq - 1) / 2.0)
                                                       / (n - 1))), 1) END"""


def tiers_floor(tenant) -> int:
    """Every active partner's tier and health, as ``tiers_recompute``: one statement.

    Per partner over the tier window: revenue in the tenant's currency as each sale was converted
    when booked (and the conversions behind it), deal registrations (won, lost, self-sourced), visits that met
    their goal, the willingness inputs other apps register (training held, leads accepted), the
    latest tier assessment; the revenue and registration percentiles among the sellers; the three
    axes blended and decided by the tier table; the seven health signals and the status they add up
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
        raise NotImplementedError(f"bench/floors has no SQL for {', '.join(unknown)}")
    extras = sorted(name for name in _willingness_inputs if weights[name])  # measured when weighted
    quiet_since = now - timedelta(days=programme.health_quiet_days)
    breach_days = pricing_programme_for(tenant).breach_days
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
        "breach_days": breach_days,
        "breach_since": (now - timedelta(days=breach_days)).date(),
        "tz": timezone.get_current_timezone_name(),
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
        WITH sales AS (  -- the window's sales per partner and currency, converted when they were booked
              SELECT partner_id, currency, sum(amount) FILTER (WHERE converted IS NOT NULL) AS amount,
                     sum(converted) AS converted
              FROM partners_sale WHERE tenant_id = %(t)s AND date >= %(since_date)s
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

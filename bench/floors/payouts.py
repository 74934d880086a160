"""The payout run's floor (``payout_run_compute``)."""

from __future__ import annotations

from django.db import connection

from incentives.programme import incentive_programme_for
from prm.periods import parse_period

from ..generate import QUARTER
from .sql import _fmt, _no_jit, _pct


def payouts_floor(tenant, run_id: int, rules: int) -> int:
    """Recompute the quarter's draft run as ``payout_run_compute``: two deletes and one statement.

    The paid partners' sales of the quarter as they were converted when booked; per partner and
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
        raise NotImplementedError(f"bench/floors has no SQL for the rules {', '.join(unknown)}")
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
                         s.customer, s.customer_key, s.rate, s.converted
                  FROM partners_sale s JOIN paid p ON p.id = s.partner_id
                  WHERE s.tenant_id = %(t)s AND s.date BETWEEN %(start)s AND %(end)s),
                 mine AS MATERIALIZED (  -- per partner, all its sales: what most rules look at
                  SELECT partner_id, count(*) AS n, sum(converted) AS volume,
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
                         sum(s.converted),
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

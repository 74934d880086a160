"""Core floors: the bare aggregate and the write of the same rows, nothing else.

Where the faithful floors (``tiers``, ``scorecards``, ``payouts``) do all the work the product does in
SQL, a core floor is what a computation costs at the very least: **one GROUP BY over the raw sales**
(the amounts as booked: no currency, no rule, no audit, no copied facts) **and the write of the same
rows** the product writes (the same tables, the same number of rows, the columns it sets). Issue #36
holds each computation to a multiple of its core floor; the bench reports both ratios.

Each core floor runs in a transaction it rolls back (``_rolled_back``): its figures are not the
product's, and the product's next run must meet the rows the product left (no tier, scorecard or
line that looks changed). The write's cost is paid all the same; only the commit is saved.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from partners.programme.settings import programme_for
from prm.periods import parse_period

from ..generate import QUARTER
from .sql import _no_jit


class _Rollback(Exception):
    def __init__(self, result):
        self.result = result


def _rolled_back(statements: list[tuple[str, dict]]) -> int:
    """Run ``statements`` in a transaction that is rolled back; the last one's first column is the answer."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                _no_jit(cursor)
                for sql, params in statements:
                    cursor.execute(sql, params)
                raise _Rollback(cursor.fetchone()[0])
    except _Rollback as done:
        return done.result


def tiers_core_floor(tenant) -> int:
    """Every active partner's tier, bare: one GROUP BY of the tier window's raw sales per partner
    (their sum as booked) and one UPDATE of every partner the product writes (not lost), setting the
    same columns (tier by revenue, its axes as the revenue, health ``ok``, both computed now).
    Returns the partners written."""
    now = timezone.now()
    since = (now - timedelta(days=programme_for(tenant).tier_window_days)).date()
    sql = """
        WITH revenue AS (SELECT partner_id, sum(amount) AS revenue FROM partners_sale
                         WHERE tenant_id = %(t)s AND date >= %(since)s GROUP BY partner_id),
             written AS (
              UPDATE partners_partner p
              SET computed_tier = CASE WHEN coalesce(r.revenue, 0) >= 1000000 THEN 'A'
                                       WHEN coalesce(r.revenue, 0) >= 100000 THEN 'B'
                                       WHEN coalesce(r.revenue, 0) > 0 THEN 'C' ELSE 'D' END,
                  tier_axes = jsonb_build_object('revenue', coalesce(r.revenue, 0)::text),
                  tier_computed_at = %(now)s, health = 'ok', health_reasons = '[]', health_computed_at = %(now)s
              FROM partners_partner q LEFT JOIN revenue r ON r.partner_id = q.id
              WHERE p.id = q.id AND p.tenant_id = %(t)s AND q.tenant_id = %(t)s AND q.stage <> 'lost'
              RETURNING 1)
        SELECT count(*) FROM written
    """
    return _rolled_back([(sql, {"t": tenant.pk, "since": since, "now": now})])


def scorecards_core_floor(tenant) -> int:
    """The quarter's scorecards, bare: one GROUP BY of the quarter's raw sales per partner, then the
    same rows as the product: the quarter's lines deleted, one scorecard per scored partner (signed
    or certified) upserted with that sum as its score, one line per active KPI inserted with it as
    the actual. Returns the scorecards written."""
    period = parse_period(QUARTER)
    params = {
        "t": tenant.pk,
        "q": period.code,
        "start": period.start,
        "end": period.end,
        "now": timezone.now(),
    }
    delete = """
        DELETE FROM scorecards_scorecardline WHERE tenant_id = %(t)s AND scorecard_id IN (
          SELECT id FROM scorecards_scorecard WHERE tenant_id = %(t)s AND period = %(q)s)
    """
    write = """
        WITH revenue AS (SELECT partner_id, sum(amount) AS revenue FROM partners_sale
                         WHERE tenant_id = %(t)s AND date BETWEEN %(start)s AND %(end)s GROUP BY partner_id),
             cards AS (
              INSERT INTO scorecards_scorecard (tenant_id, partner_id, period, score, tier, region, rank,
                cohort_size, previous_score, dimensions, conversions, computed_at)
              SELECT %(t)s, p.id, %(q)s, 0, '', p.region, 1, 1, NULL, '{}', '[]', %(now)s
              FROM partners_partner p WHERE p.tenant_id = %(t)s AND p.stage IN ('signed', 'certified')
              ON CONFLICT (tenant_id, partner_id, period) DO UPDATE SET score = EXCLUDED.score,
                computed_at = EXCLUDED.computed_at, withdrawn_at = NULL
              RETURNING id, partner_id),
             lines AS (
              INSERT INTO scorecards_scorecardline (tenant_id, scorecard_id, kpi_id, code, name, dimension, side,
                direction, target, actual, attainment, weight, points, position)
              SELECT %(t)s, c.id, k.id, k.code, k.name, k.dimension, k.side, k.direction, k.default_target,
                     round(coalesce(r.revenue, 0), 2), NULL, k.weight, NULL, k.position
              FROM cards c CROSS JOIN scorecards_kpi k LEFT JOIN revenue r ON r.partner_id = c.partner_id
              WHERE k.tenant_id = %(t)s AND k.active)
        SELECT count(*) FROM cards
    """
    return _rolled_back([(delete, params), (write, params)])


def payouts_core_floor(tenant, run_id: int) -> int:
    """The quarter's draft run, bare: one GROUP BY of the quarter's raw sales per partner, and the
    run's lines written again: each line the run has (partner, rule, version, kind) deleted and
    inserted anew with its partner's sum at 5 %, words and source left empty. Returns the lines
    written (the product's count, exactly)."""
    period = parse_period(QUARTER)
    params = {
        "t": tenant.pk,
        "run": run_id,
        "cur": tenant.currency,
        "start": period.start,
        "end": period.end,
    }
    sql = """
        WITH volume AS (SELECT partner_id, sum(amount) AS volume FROM partners_sale
                        WHERE tenant_id = %(t)s AND date BETWEEN %(start)s AND %(end)s GROUP BY partner_id),
             old AS (DELETE FROM incentives_payoutline WHERE tenant_id = %(t)s AND run_id = %(run)s
                       AND kind <> 'adjustment'
                     RETURNING partner_id, rule_id, rule_version, kind),
             written AS (
              INSERT INTO incentives_payoutline (tenant_id, run_id, partner_id, rule_id, rule_version, kind, amount,
                currency, explanation, source)
              SELECT %(t)s, %(run)s, o.partner_id, o.rule_id, o.rule_version, o.kind,
                     round(coalesce(v.volume, 0) * 0.05, 2), %(cur)s, '', '{}'
              FROM old o LEFT JOIN volume v ON v.partner_id = o.partner_id
              RETURNING 1)
        SELECT count(*) FROM written
    """
    return _rolled_back([(sql, params)])

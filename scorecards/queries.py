"""The statements of scorecards/ that the ORM cannot say: plain SQL, one function each.

``cards_upsert`` writes a range of computed cards over a period's stored ones in one statement
(``services.compute``): a card keeps its id across recomputes, and a card whose figures changed
keeps its earlier figures and lines as a revision. ``cards_rank`` ranks a period's cards in their
cohorts, widened where a cohort is too small, in one statement. Each function is held to what the ORM gives on
small data by ``tests/scorecards/test_queries.py``.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from prm.sql import unnest_arrays

from .models import Scorecard, ScorecardLine, ScorecardRevision

#: what a recompute writes over in a stored card (its rank, cohort size and cohort come with the ranking)
UPDATED = ["score", "tier", "region", "previous_score", "conversions", "computed_at", "dimensions", "digest"]
#: the columns of a card a revision keeps, as they are named in both tables
KEPT = [
    "score",
    "tier",
    "region",
    "rank",
    "cohort_size",
    "cohort",
    "previous_score",
    "dimensions",
    "conversions",
    "computed_at",
]
#: a line's columns a revision keeps in its ``lines`` (the numbers as text, as JSON keeps them exactly)
KEPT_LINE = [
    "code",
    "name",
    "dimension",
    "side",
    "direction",
    "unit",
    "target",
    "actual",
    "attainment",
    "weight",
    "points",
]
NUMBERS = {"target", "actual", "attainment", "weight", "points"}


def cards_upsert(
    *, tenant_id: int, period: str, now: datetime, fields: list[str], cards: list[tuple]
) -> dict[int, tuple[int, bool]]:
    """Write ``cards`` (rows of the values of ``fields``, attribute names of ``Scorecard`` among
    which ``partner_id`` and ``digest``) over the period's stored cards in one statement. Returns
    for each partner id its card's id and whether its figures are new (a new card, or another
    digest than the stored one's).

    The statement inserts the cards of new partners and updates the others in place (``ON CONFLICT
    (tenant, partner, period) DO UPDATE``: same id, ``withdrawn_at`` cleared, the ``UPDATED``
    columns written). A stored card whose digest differs from the new one first has its ``KEPT``
    figures and its lines kept as a ``ScorecardRevision`` superseded at ``now`` (unless it was stored
    before digests were: empty digest) and its lines removed, and its ``revision`` goes up by one; a
    card with the same digest keeps its lines and history. (Every part of the statement reads the
    tables as they were when it began.)
    """
    if not cards:
        return {}
    columns, arrays, casts = unnest_arrays(Scorecard, fields, cards)
    params = {f"a{i}": array for i, array in enumerate(arrays)}
    params.update(tenant=tenant_id, period=period, now=now)
    unnest = ", ".join(cast.replace("%s", f"%(a{i})s", 1) for i, cast in enumerate(casts))
    names = ", ".join(columns)
    card, line, revision = (model._meta.db_table for model in (Scorecard, ScorecardLine, ScorecardRevision))
    kept = ", ".join(f'"{name}"' for name in KEPT)
    line_fields = ", ".join(
        f"'{name}', l.\"{name}\"" + ("::text" if name in NUMBERS else "") for name in KEPT_LINE
    )
    updates = ", ".join(f'"{name}" = EXCLUDED."{name}"' for name in UPDATED)
    sql = f"""
        WITH v AS (SELECT * FROM unnest({unnest}) AS v ({names})),
        old AS (
            SELECT s.* FROM "{card}" s JOIN v ON s.partner_id = v.partner_id
            WHERE s.tenant_id = %(tenant)s AND s.period = %(period)s
        ),
        changed AS (SELECT old.* FROM old JOIN v ON v.partner_id = old.partner_id WHERE old.digest <> v.digest),
        kept AS (
            INSERT INTO "{revision}" (tenant_id, scorecard_id, revision, {kept}, superseded_at, lines)
            SELECT c.tenant_id, c.id, c.revision, {", ".join(f"c.{name}" for name in KEPT)}, %(now)s,
                   (SELECT coalesce(jsonb_agg(jsonb_build_object({line_fields}) ORDER BY l.position, l.code), '[]')
                    FROM "{line}" l WHERE l.tenant_id = c.tenant_id AND l.scorecard_id = c.id)
            FROM changed c WHERE c.digest <> ''  -- (a card stored before digests were kept: no revision)
        ),
        cleared AS (DELETE FROM "{line}" l USING changed c WHERE l.tenant_id = %(tenant)s AND l.scorecard_id = c.id),
        written AS (
            INSERT INTO "{card}" AS s ({names}) SELECT {names} FROM v
            ON CONFLICT (tenant_id, partner_id, period) DO UPDATE SET {updates}, withdrawn_at = NULL,
                revision = s.revision + (s.digest <> EXCLUDED.digest AND s.digest <> '')::int
            RETURNING s.id, s.partner_id, s.digest
        )
        SELECT w.partner_id, w.id, old.id IS NULL OR old.digest <> w.digest
        FROM written w LEFT JOIN old ON old.id = w.id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {partner_id: (card_id, changed) for partner_id, card_id, changed in cursor.fetchall()}


def cards_rank(*, tenant_id: int, period: str, min_size: int) -> int:
    """Rank the period's current cards (withdrawn ones left out) in their cohorts in one statement;
    how many cards changed rank, cohort size or cohort.

    A card's cohort is the cards of its tier and region; where those are fewer than ``min_size``,
    its tier in every region; where those are fewer too, every card of the period (the channel).
    Window functions count and rank every card in all three at once (``RANK()``: ties share a rank,
    the next one skips: 1, 2, 2, 4) and each card takes the narrowest cohort of ``min_size`` or
    more. Cards whose rank, size and cohort stay as they are are not written.
    """
    table = Scorecard._meta.db_table
    sql = f"""
        WITH counted AS (
            SELECT id,
                   count(*) OVER (PARTITION BY tier, region) AS n_region,
                   count(*) OVER (PARTITION BY tier) AS n_tier,
                   count(*) OVER () AS n_channel,
                   rank() OVER (PARTITION BY tier, region ORDER BY score DESC) AS r_region,
                   rank() OVER (PARTITION BY tier ORDER BY score DESC) AS r_tier,
                   rank() OVER (ORDER BY score DESC) AS r_channel
            FROM "{table}"
            WHERE tenant_id = %(tenant)s AND period = %(period)s AND withdrawn_at IS NULL
        ),
        ranked AS (
            SELECT id,
                   CASE WHEN n_region >= %(min)s THEN 'tier_region'
                        WHEN n_tier >= %(min)s THEN 'tier' ELSE 'channel' END AS cohort,
                   CASE WHEN n_region >= %(min)s THEN r_region
                        WHEN n_tier >= %(min)s THEN r_tier ELSE r_channel END AS rank,
                   CASE WHEN n_region >= %(min)s THEN n_region
                        WHEN n_tier >= %(min)s THEN n_tier ELSE n_channel END AS cohort_size
            FROM counted
        )
        UPDATE "{table}" s SET rank = r.rank, cohort_size = r.cohort_size, cohort = r.cohort
        FROM ranked r
        WHERE s.id = r.id AND s.tenant_id = %(tenant)s
          AND (s.rank, s.cohort_size, s.cohort) IS DISTINCT FROM (r.rank, r.cohort_size, r.cohort)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"tenant": tenant_id, "period": period, "min": min_size})
        return cursor.rowcount

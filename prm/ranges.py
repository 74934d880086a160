"""A channel cut into partner id ranges: the unit a chunked computation works in and workers share.

Payout runs (``incentives``), scorecard computes (``scorecards``) and the tier recompute
(``partners``) take their partners ``[low, high)`` at a time: memory is bounded by a range, not by
the channel, and the ranges of one computation can go to several Celery workers at once, joined in
one transaction at the end (``prm.jobs.computations``).
"""

from __future__ import annotations


def id_ranges(queryset, size: int) -> list[tuple[int | None, int | None]]:
    """The rows of ``queryset`` cut into id ranges ``[low, high)`` of ``size`` rows (one query). The
    first range is open below and the last above (None), so that a row that joins the computation
    between its plan and its ranges (a lost partner brought back) falls in one of them."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    lows = ids[::size]
    return [(low if i else None, lows[i + 1] if i + 1 < len(lows) else None) for i, low in enumerate(lows)]


def in_range(queryset, field: str, low: int | None, high: int | None):
    """``queryset`` with ``field`` in ``[low, high)`` (either end None: open)."""
    if low is not None:
        queryset = queryset.filter(**{f"{field}__gte": low})
    if high is not None:
        queryset = queryset.filter(**{f"{field}__lt": high})
    return queryset


def within(queryset, partners: tuple[int | None, int | None] | None, field: str = "partner_id"):
    """``queryset`` restricted to a partner range (``partners``: ``(low, high)``), or all of it."""
    return in_range(queryset, field, *partners) if partners else queryset

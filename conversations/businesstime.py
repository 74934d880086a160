"""Business time: Monday to Friday, whole days, in the installation's time zone.

A business day counts 24 hours of a weekday; Saturdays and Sundays do not count. A request raised
on Friday at 10:00 with two business days to answer is due on Tuesday at 10:00; one raised on
Saturday is due on Tuesday at midnight (the clock starts on Monday).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

DAY = timedelta(days=1)


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def _aware(naive: datetime) -> datetime:
    return timezone.make_aware(naive)


def _next_midnight(naive: datetime) -> datetime:
    return datetime.combine(naive.date() + DAY, time.min)


def business_deadline(start: datetime, allowed: timedelta) -> datetime:
    """``start`` plus ``allowed`` of business time."""
    remaining = allowed
    current = _local(start)
    while True:
        if current.weekday() < 5:
            available = _next_midnight(current) - current
            if remaining <= available:
                return _aware(current + remaining)
            remaining -= available
        current = _next_midnight(current)


def business_days_between(start: datetime, end: datetime) -> Decimal:
    """The business time from ``start`` to ``end`` in days, to two decimals (0 when ``end`` is not
    later)."""
    current, last = _local(start), _local(end)
    seconds = 0.0
    while current < last:
        step_end = min(_next_midnight(current), last)
        if current.weekday() < 5:
            seconds += (step_end - current).total_seconds()
        current = step_end
    return (Decimal(seconds) / Decimal(86400)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

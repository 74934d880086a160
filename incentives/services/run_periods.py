"""Which periods a payout run may be computed for.

A run pays for what happened in its period: sales booked, targets reached, claims approved. A
period that has not started has none of it yet, and the product makes no forecasts, so its run is
refused (naming the field) instead of drafting a run of zeros that looks like a result. The period
under way may be computed: its draft shows what has accrued so far.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from prm.periods import Period


def ensure_started(period: Period, *, today: date | None = None) -> None:
    """Refuse ``period`` when it starts after ``today`` (the server's local date by default)."""
    today = today or timezone.localdate()
    if period.start > today:
        raise ValidationError(
            {
                "period": [
                    _(
                        "%(period)s has not started yet (it starts on %(start)s): a payout run pays "
                        "for what happened in its period, so compute it once the period has begun."
                    )
                    % {"period": period.code, "start": date_format(period.start, "DATE_FORMAT")}
                ]
            }
        )

"""The order of a partner page's timeline."""

from datetime import time

from django.utils.timezone import localdate, localtime


def timeline_key(event: dict) -> tuple:
    """A timeline entry's place, newest first once reversed: its day, then its moment within the day
    (a dated record such as a visit counts from the moment it was logged if that was the same day,
    else from the day's start), then its id, so that a day's entries read in the order they
    happened."""
    day, item = event["date"], event["item"]
    at = event.get("at")
    if at is None:
        logged = getattr(item, "created_at", None)
        at = logged if logged is not None and localdate(logged) == day else None
    moment = localtime(at).time() if at is not None else time.min
    return (day, moment, item.pk or 0)

"""Who is asking: the client's address, behind the reverse proxies the operator trusts.

``PROXY_COUNT`` says how many proxies stand in front of the application
(0: none, ``REMOTE_ADDR`` is the client). Each proxy appends the address it
received the request from to ``X-Forwarded-For``, so the client is the
``PROXY_COUNT``-th address from the right; anything further left was written
by the client and is not trusted. The login lockout (django-axes) reads the
same setting.
"""

import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def client_ip(request) -> str | None:
    count = settings.PRM_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def over_limit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one more request under ``key`` (e.g. a public form per tenant and address) and say
    whether it goes over ``limit`` within the window. When the cache (Redis) is down the request
    is let through, and the log says so."""

    try:
        cache.add(key, 0, window_seconds)
        return cache.incr(key) > limit
    except Exception:
        logger.warning("rate limit skipped for %s: the cache is unreachable", key, exc_info=True)
        return False


# --- failed sign-ins per address (password spraying) ------------------------
# django-axes locks a username from an address; this counts every failed sign-in
# from an address whatever the username, and past PRM_SIGNIN_FAILURES_PER_ADDRESS
# within the lockout window the page and auth/token/ refuse the address (429).


def _signin_key(request) -> str:
    return f"signin-failures:{client_ip(request)}"


def _signin_window() -> int:
    return max(60, int(settings.AXES_COOLOFF_TIME * 3600))


def count_failed_signin(sender, credentials=None, request=None, **kwargs):
    """``user_login_failed`` receiver: one more failure for the request's address."""

    if request is not None:
        over_limit(_signin_key(request), settings.PRM_SIGNIN_FAILURES_PER_ADDRESS, _signin_window())


def signin_refused_for(request) -> int | None:
    """Seconds the request's address must wait before signing in again, or None when it may."""

    try:
        failures = cache.get(_signin_key(request)) or 0
    except Exception:
        logger.warning("sign-in limit per address skipped: the cache is unreachable", exc_info=True)
        return None
    return _signin_window() if failures >= settings.PRM_SIGNIN_FAILURES_PER_ADDRESS else None

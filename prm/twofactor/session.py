"""What a signed-in session knows about its second factor.

django-otp's ``OTPMiddleware`` tells whether the session was verified (``request.user.is_verified()``:
a code was given since the password). Whether the user *has* a second factor at all is asked once
at sign-in (``on_sign_in``) and kept in the session, so pages of users without one cost no query;
"none" is asked again every ``RECHECK_SECONDS``, so a factor set up in another browser reaches this
session soon. Sessions signed in by single sign-on were verified by the identity provider.
"""

from __future__ import annotations

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from .devices import has_two_factor

STATE = "prm_two_factor"
RECHECK_SECONDS = 300
#: set by the single sign-on code: the identity provider asked for its own factors
SIGNED_IN_WITH = "prm_signed_in_with"


def signed_in_by_sso(request) -> bool:
    return request.session.get(SIGNED_IN_WITH) == "sso"


def remember(request, *, has_device: bool) -> None:
    request.session[STATE] = {"device": has_device, "checked": int(time.time())}


def has_device(request) -> bool:
    """Whether the session's user has set two-factor sign-in up (from the session while fresh)."""
    state = request.session.get(STATE)
    if isinstance(state, dict) and (
        state.get("device") or time.time() - state.get("checked", 0) < RECHECK_SECONDS
    ):
        return bool(state.get("device"))
    device = has_two_factor(request.user)
    remember(request, has_device=device)
    return device


def is_verified(request) -> bool:
    """Whether this session gave its second factor (or signed in through single sign-on)."""
    return signed_in_by_sso(request) or bool(getattr(request.user, "is_verified", lambda: False)())


def mark_verified(request, device) -> None:
    """The session gave a right code of ``device`` (or confirmed it): verified from now on."""
    otp_login(request, device)
    remember(request, has_device=True)


def forget_device(request) -> None:
    """Two-factor sign-in was turned off: the session holds no device any more."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.user.otp_device = None
    remember(request, has_device=False)


def on_sign_in(sender, request, user, **kwargs):
    """``user_logged_in``: note in the new session whether a code will be asked for."""
    if request is not None and hasattr(request, "session"):
        remember(request, has_device=has_two_factor(user))

"""Issuing, using and revoking API tokens.

A token ends in three ways, each audited in every tenant of its user (``events.record``):
revoked by its owner (page or API), revoked with all the user's tokens when the password changes
or a membership ends (``receivers``), or expired (``expire``: when it is next presented, or by the
hourly sweep ``tasks.expire_due``). An ended token is kept, with when and why, so the user's page
can still show it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import events, keys
from .audit_actions import ApiTokenAudit
from .models import ApiToken, RevokedBecause, Scope

#: last use is written at most this often per token (a busy script does not write per request)
LAST_USE_EVERY = timedelta(minutes=1)
#: the name of the tokens ``POST auth/token/`` issues
SCRIPT_TOKEN_NAME = "script"


def default_days() -> int:
    return settings.API_TOKEN_DAYS


def max_days() -> int:
    return settings.API_TOKEN_MAX_DAYS


def issue(*, user, name: str, scope: str = Scope.READ_WRITE, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token of ``user``; returns it and its secret, which is shown this once and never kept."""
    name = (name or "").strip()
    days = default_days() if days is None else days
    errors = {}
    if not name:
        errors["name"] = _("Give the token a name, e.g. what will use it.")
    if scope not in Scope.values:
        errors["scope"] = _("Choose read only or read and write.")
    if not 1 <= days <= max_days():
        errors["expires_in_days"] = _("A token lasts from 1 to %(max)d days.") % {"max": max_days()}
    if errors:
        raise ValidationError(errors)
    secret = keys.new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=keys.prefix_of(secret),
            key_hash=keys.hash_of(secret),
            scope=scope,
            expires_at=timezone.now() + timedelta(days=days),
        )
        events.record(
            token,
            ApiTokenAudit.ISSUED,
            actor=user,
            changes={"scope": [None, token.scope], "expires_at": [None, token.expires_at.isoformat()]},
        )
    return token, secret


def find(secret: str) -> ApiToken | None:
    """The token whose secret this is, with its user, whatever its state."""
    return ApiToken.objects.select_related("user").filter(key_hash=keys.hash_of(secret)).first()


def record_use(token: ApiToken, address: str | None, now=None) -> bool:
    """Note the token's use, at most once per ``LAST_USE_EVERY``; True when written."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_EVERY:
        return False
    token.last_used_at, token.last_used_ip = now, address or None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=token.last_used_ip)
    return True


def _end(token: ApiToken, reason: str, *, actor, action: str, also_in=()) -> bool:
    """Mark one live token ended (once: a second call, or a race, writes nothing) and audit it."""
    now = timezone.now()
    with transaction.atomic():
        ended = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_reason=reason
        )
        if not ended:
            return False
        token.revoked_at, token.revoked_reason = now, reason
        events.record(token, action, actor=actor, reason=str(RevokedBecause(reason).label), also_in=also_in)
    return True


def revoke(*, token: ApiToken, actor, reason: str = RevokedBecause.OWNER, also_in=()) -> bool:
    """Revoke one token (from the moment of the call); False when it had already ended."""
    return _end(token, reason, actor=actor, action=ApiTokenAudit.REVOKED, also_in=also_in)


def revoke_all(*, user, reason: str, actor=None, also_in=()) -> int:
    """Revoke every live token of ``user`` (a password change, a membership that ended)."""
    live = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).select_related("user"))
    return sum(revoke(token=token, actor=actor, reason=reason, also_in=also_in) for token in live)


def expire(token: ApiToken) -> bool:
    """Record that a token past its end has ended (audited once)."""
    if token.expires_at > timezone.now():
        return False
    return _end(token, RevokedBecause.EXPIRED, actor=None, action=ApiTokenAudit.EXPIRED)


def expire_due() -> int:
    """Every token past its end not yet recorded as ended; returns how many."""
    due = ApiToken.objects.filter(revoked_at__isnull=True, expires_at__lte=timezone.now()).select_related(
        "user"
    )
    with transaction.atomic():  # (the server-side cursor lives in one transaction)
        return sum(expire(token) for token in due.iterator(chunk_size=500))

"""``Authorization: Token <secret>`` (or ``Bearer <secret>``) for the API, with named tokens that end.

- unknown secret: 401 "Invalid token.";
- revoked: 401 naming when and why; expired: 401 "This token expired on …" (and the expiry is
  recorded and audited the first time it is presented, ``services.expire``);
- a read-only token on an unsafe method (anything but GET, HEAD, OPTIONS): 403 saying so;
- the token's last use (time and address) is written at most once a minute
  (``services.record_use``);
- the token is remembered for the request (``context``), so the audit entries the request writes
  name it.

It subclasses DRF's ``TokenAuthentication`` for the documented header keyword and the OpenAPI
security scheme drf-spectacular derives from it; DRF's token table is not used.
"""

from __future__ import annotations

from datetime import UTC

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS

from prm.net import client_ip

from . import context, services
from .models import RevokedBecause

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() not in KEYWORDS:
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: send 'Token <secret>'."))
        try:
            secret = auth[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return self.authenticate_credentials(secret, request)

    def authenticate_credentials(self, secret, request=None):
        token = services.find(secret)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None and token.revoked_reason != RevokedBecause.EXPIRED:
            raise exceptions.AuthenticationFailed(
                _("This token was revoked on %(date)s (%(why)s).")
                % {"date": _when(token.revoked_at), "why": RevokedBecause(token.revoked_reason).label}
            )
        if token.revoked_at is not None or token.expires_at <= timezone.now():
            services.expire(token)
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(date)s. Create a new one on your profile page.")
                % {"date": _when(token.expires_at)}
            )
        if request is not None and request.method not in SAFE_METHODS and not token.writes:
            raise exceptions.PermissionDenied(_("This token is read-only: it may not change anything."))
        services.record_use(token, client_ip(request._request) if request is not None else None)
        context.use_token(token)
        return (token.user, token)


def _when(moment) -> str:
    """A moment as API clients read it anywhere: ``2026-03-01 14:05 UTC``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")

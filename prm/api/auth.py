"""``POST auth/token/``: a token for a username and password, and a clear answer when locked out.

Each call issues a new named API token (``prm.apitokens``): named "script", read and write, ending
after ``API_TOKEN_DAYS``. The answer keeps its ``{"token": ...}`` and adds ``expires_at``, ``name``
and ``scope``; the token is listed (and revocable) on the user's profile page like any other.

After ``AXES_FAILURE_LIMIT`` failures for a username from one address the
account is locked for ``AXES_COOLOFF_HOURS``; asking again then answers 429
with ``Retry-After`` (the portal shows its lockout page), never the
"wrong credentials" 400 that would send the user guessing. An address with
``SIGNIN_FAILURES_PER_ADDRESS`` failures, whatever the usernames, gets the same
429 (``prm.net``).
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.views import APIView

from prm.apitokens import services as tokens
from prm.apitokens.serializers import ScriptTokenSerializer
from prm.net import signin_refused_for


class TokenView(APIView):
    throttle_classes = ()
    permission_classes = ()
    parser_classes = (parsers.FormParser, parsers.MultiPartParser, parsers.JSONParser)
    serializer_class = AuthTokenSerializer

    @extend_schema(request=AuthTokenSerializer, responses={200: ScriptTokenSerializer})
    def post(self, request, *args, **kwargs):
        if not hasattr(request.data, "get"):  # a JSON body that is not an object
            return Response({"detail": "Send username and password."}, status=status.HTTP_400_BAD_REQUEST)
        if seconds := signin_refused_for(request._request):
            return _too_many(
                _("Too many failed sign-ins from your address. Try again in %(minutes)d minutes."), seconds
            )
        credentials = {"username": str(request.data.get("username", ""))}
        if AxesProxyHandler.is_locked(request._request, credentials):
            cool_off = get_cool_off(request._request)
            seconds = int(cool_off.total_seconds()) if cool_off else 3600
            return _too_many(
                _(
                    "Too many failed sign-ins: this account is locked for now. Try again in %(minutes)d minutes."
                ),
                seconds,
            )
        serializer = AuthTokenSerializer(data=request.data, context={"request": request, "view": self})
        serializer.is_valid(raise_exception=True)
        token, secret = tokens.issue(user=serializer.validated_data["user"], name=tokens.SCRIPT_TOKEN_NAME)
        answer = {"token": secret, "expires_at": token.expires_at, "name": token.name, "scope": token.scope}
        return Response(ScriptTokenSerializer(answer).data)


def _too_many(message: str, seconds: int) -> Response:
    return Response(
        {"detail": message % {"minutes": max(1, seconds // 60)}},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(seconds)},
    )


obtain_auth_token = TokenView.as_view()

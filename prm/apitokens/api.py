"""``auth/tokens/``: the caller's own API tokens (list, create with the secret shown once, revoke),
and ``auth/token/``: a token for a username and password, for scripts.

Everything here is the caller's own: another user's token is not found (404). A read-only token
may list but neither create nor revoke (``authentication`` refuses its unsafe methods).
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .serializers import ApiTokenCreateSerializer, ApiTokenSerializer, IssuedTokenSerializer


class TokenListView(generics.ListAPIView):
    """The caller's API tokens, newest first, ended ones included (with when and why)."""

    serializer_class = ApiTokenSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.tokens_of(self.request.user)

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: IssuedTokenSerializer})
    def post(self, request, *args, **kwargs):
        """A new token of the caller; the answer holds its secret (``token``), shown this once."""
        given = ApiTokenCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            token, secret = services.issue(
                user=request.user,
                name=given.validated_data["name"],
                scope=given.validated_data["scope"],
                days=given.validated_data.get("expires_in_days"),
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc
        token.token = secret
        return Response(IssuedTokenSerializer(token).data, status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    """One of the caller's tokens."""

    @extend_schema(responses={200: ApiTokenSerializer})
    def get(self, request, pk):
        return Response(ApiTokenSerializer(self._token(request, pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        """Revoke the token from now on (an ended token stays listed)."""
        services.revoke(token=self._token(request, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _token(self, request, pk):
        token = selectors.token_of(request.user, pk)
        if token is None:
            raise Http404
        return token

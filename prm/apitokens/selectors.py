"""Reads of tokens, always of one user."""

from .models import ApiToken


def tokens_of(user):
    """The user's tokens, newest first, ended ones included (the page shows why they ended)."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_of(user, pk) -> ApiToken | None:
    """The user's token ``pk``, or None (another user's token is not found either)."""
    return tokens_of(user).filter(pk=pk).first()

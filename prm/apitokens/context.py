"""The API token of the request being served, so what the request changes can name it.

``authentication.ApiTokenAuthentication`` sets it when a request authenticates with a token;
``receivers`` clear it when a request starts and finishes, and add it to every audit entry
written meanwhile (the entry's ``reason`` says "via API token 'name' (prm_1a2b3c4d…)").
"""

from __future__ import annotations

from contextvars import ContextVar

_token: ContextVar = ContextVar("prm_api_token", default=None)


def current_token():
    return _token.get()


def use_token(token) -> None:
    _token.set(token)


def clear(**kwargs) -> None:
    _token.set(None)

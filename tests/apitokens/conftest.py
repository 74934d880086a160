"""Tokens issued the way the product issues them, and clients that present them."""

import pytest
from rest_framework.test import APIClient

from prm.apitokens import services


@pytest.fixture
def issue():
    """issue(user, name="billing-sync", scope="read_write", days=None) -> (token, secret)."""

    def make(user, name="billing-sync", scope="read_write", days=None):
        return services.issue(user=user, name=name, scope=scope, days=days)

    return make


@pytest.fixture
def with_token():
    """with_token(secret, keyword="Token") -> an APIClient presenting that secret."""

    def make(secret, keyword="Token"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"{keyword} {secret}")
        return client

    return make

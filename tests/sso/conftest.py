"""Shared single sign-on fixtures: a tenant's OIDC provider against a real OpenID provider.

``oidc_server`` starts oidc-provider-mock (a maintained OpenID provider built on authlib) in a
thread for the module; ``oidc_provider`` is tenant ``alpha``'s provider configured against it;
``oidc_sign_in`` walks the code flow: our start URL, the provider's authorization form (posted as a
browser would), our callback. SAML's fixtures live in the SAML tests' own modules.
"""

from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse
from oidc_provider_mock import run_server_in_thread

from prm.sso.models import IdentityProvider
from prm.tenancy.context import tenant_context

CLIENT_ID = "prm-portal"
CLIENT_SECRET = "prm-portal-secret"
ROLE_MAPPING = {
    "prm-admins": "admin",
    "prm-managers": "channel_manager",
    "prm-leads": "regional_lead",
    "prm-finance": "finance",
}


@pytest.fixture(autouse=True)
def sso_private_addresses(settings):
    """The tests' providers run on this machine over http (and the mocked ones on names that do not
    resolve): allowed explicitly, as an on-premises provider would be. The address rule's own tests
    (tests/sso/test_oidc_addresses.py) switch it off again."""
    settings.PRM_SSO_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture(scope="module")
def oidc_server():
    """The OpenID provider's base URL (its issuer), e.g. http://localhost:43121."""
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def make_provider(tenant, base_url: str, **fields) -> IdentityProvider:
    values = {
        "name": "Alpha Okta",
        "protocol": IdentityProvider.Protocol.OIDC,
        "email_domains": ["alpha.example"],
        "discovery_url": f"{base_url}/.well-known/openid-configuration",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "role_mapping": ROLE_MAPPING,
        **fields,
    }
    with tenant_context(tenant):
        return IdentityProvider.objects.create(tenant=tenant, **values)


@pytest.fixture
def oidc_provider(tenant, oidc_server):
    return make_provider(tenant, oidc_server)


def set_idp_user(base_url: str, sub: str, **claims) -> None:
    """What the provider will say about ``sub`` (its ID token and userinfo claims)."""
    requests.put(f"{base_url}/users/{sub}", json=claims, timeout=5).raise_for_status()


@pytest.fixture
def oidc_sign_in(client, oidc_server):
    """oidc_sign_in(provider, sub, **claims) -> our callback's response, for the test client."""

    def walk(provider, sub, **claims):
        set_idp_user(oidc_server, sub, **claims)
        start = client.get(reverse("sso:oidc-start", kwargs={"provider_id": provider.pk}))
        assert start.status_code == 302, start.content[:500]
        authorize = requests.post(start["Location"], data={"sub": sub}, allow_redirects=False, timeout=5)
        assert authorize.status_code == 302, authorize.text[:500]
        callback = urlsplit(authorize.headers["Location"])
        return client.get(f"{callback.path}?{callback.query}")

    return walk

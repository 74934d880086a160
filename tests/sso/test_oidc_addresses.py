"""An identity provider's URLs reach public addresses only (SSRF): refused when saved (400 naming the
field) and when fetched (no connection made), the fetch pinned to the address that was checked;
``PRM_SSO_ALLOW_PRIVATE_ADDRESSES`` lifts the rule for on-premises providers."""

import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import responses
import urllib3.util.connection

from prm.sso.models import IdentityProvider
from prm.sso.net import ProviderURLRefused, fetch_provider_url
from prm.sso.oidc import DiscoveryError, ProviderBackend, discovery
from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from tests.test_webhooks_ssrf import self_signed

from .conftest import CLIENT_ID, CLIENT_SECRET, ROLE_MAPPING

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "operations"])

BASE = "/api/v1/tenants/alpha/identity-providers/"
PUBLIC = "93.184.216.34"
INTERNAL = {"idp.internal.example": "10.0.0.1", "keys.internal.example": "10.0.0.1"}
REFUSED_URLS = (
    "http://127.0.0.1/",
    "http://[::ffff:127.0.0.1]/",
    "https://127.0.0.1/.well-known/openid-configuration",
    "https://[::ffff:127.0.0.1]/.well-known/openid-configuration",
    "https://idp.internal.example/.well-known/openid-configuration",
)
FIELDS = {
    "name": "Alpha Okta",
    "protocol": "oidc",
    "email_domains": ["alpha.example"],
    "client_id": CLIENT_ID,
    "client_secret": CLIENT_SECRET,
    "role_mapping": ROLE_MAPPING,
}


@pytest.fixture(autouse=True)
def rule_on(settings):
    settings.PRM_SSO_ALLOW_PRIVATE_ADDRESSES = False


@pytest.fixture(autouse=True)
def names(monkeypatch):
    """``*.internal.example`` resolve to 10.0.0.1, ``*.example.com`` to a public address."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        address = INTERNAL.get(host) or (PUBLIC if str(host).endswith(".example.com") else None)
        if address is None:
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def connects(monkeypatch):
    """Every address a connection is opened to (none is actually made)."""
    asked = []

    def create_connection(address, *args, **kwargs):
        asked.append(address)
        raise OSError("no connection in this test")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", create_connection)
    return asked


def stored(tenant, discovery_url):
    """A provider saved without the service's check (as one saved before the rule, or by a script)."""
    with tenant_context(tenant):
        return IdentityProvider.objects.create(tenant=tenant, discovery_url=discovery_url, **FIELDS)


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_an_internal_discovery_url_is_refused_on_save(tenant, member, api, url):
    admin = api(member(tenant, Role.ADMIN))
    created = admin.post(BASE, {**FIELDS, "discovery_url": url}, format="json")
    assert created.status_code == 400, created.content
    assert "discovery_url" in created.json()
    assert not IdentityProvider.objects.for_tenant(tenant).exists()


def test_changing_the_discovery_url_to_an_internal_one_is_refused(tenant, member, api):
    admin = api(member(tenant, Role.ADMIN))
    good = "https://login.example.com/.well-known/openid-configuration"
    created = admin.post(BASE, {**FIELDS, "discovery_url": good}, format="json")
    assert created.status_code == 201, created.content
    changed = admin.patch(
        f"{BASE}{created.json()['id']}/",
        {"discovery_url": "https://idp.internal.example/.well-known/openid-configuration"},
        format="json",
    )
    assert changed.status_code == 400
    assert "private or local address (10.0.0.1)" in changed.json()["discovery_url"][0]
    assert IdentityProvider.objects.for_tenant(tenant).get().discovery_url == good


def test_the_page_names_the_refused_field(tenant, member, web):
    client = web(member(tenant, Role.ADMIN))
    form = {
        **FIELDS,
        "is_active": "on",
        "email_domains": "alpha.example",
        "discovery_url": "https://idp.internal.example/.well-known/openid-configuration",
        "scopes": "openid email profile",
        "groups_claim": "groups",
        "role_mapping": "prm-admins = admin",
    }
    response = client.post("/t/alpha/sso/", form)
    assert response.status_code == 400
    assert "private or local address (10.0.0.1)" in response.content.decode()
    assert not IdentityProvider.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_an_internal_discovery_url_is_not_fetched(tenant, member, api, client, connects, url):
    provider = stored(tenant, url)
    with pytest.raises(DiscoveryError):
        discovery(provider, fresh=True)
    start = client.get(f"/sso/oidc/{provider.pk}/start/")
    assert start.status_code == 502 and "cannot be reached" in start.content.decode()
    tested = api(member(tenant, Role.ADMIN)).post(f"{BASE}{provider.pk}/test/").json()
    assert tested["ok"] is False and tested["error"]
    assert connects == []


def test_the_discoverys_endpoints_must_be_public_too(tenant):
    provider = stored(tenant, "https://login.example.com/.well-known/openid-configuration")
    with responses.RequestsMock() as mock:
        mock.get(
            provider.discovery_url,
            json={
                "issuer": "https://login.example.com",
                "authorization_endpoint": "https://login.example.com/authorize",
                "token_endpoint": "https://login.example.com/token",
                "jwks_uri": "https://keys.internal.example/jwks",
            },
        )
        with pytest.raises(DiscoveryError, match="jwks_uri"):
            discovery(provider, fresh=True)


@pytest.mark.parametrize(
    "endpoint", ["OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"]
)
def test_the_backend_fetches_no_internal_endpoint(connects, endpoint):
    backend = ProviderBackend()
    backend.OIDC_OP_TOKEN_ENDPOINT = backend.OIDC_OP_USER_ENDPOINT = "https://login.example.com/x"
    backend.OIDC_OP_JWKS_ENDPOINT = "https://login.example.com/jwks"
    setattr(backend, endpoint, "http://[::ffff:127.0.0.1]/steal")
    calls = {
        "OIDC_OP_TOKEN_ENDPOINT": lambda: backend.get_token({"code": "c"}),
        "OIDC_OP_USER_ENDPOINT": lambda: backend.get_userinfo("at", "", {}),
        "OIDC_OP_JWKS_ENDPOINT": lambda: backend.retrieve_matching_jwk("e30.e30.x"),
    }
    with pytest.raises(ProviderURLRefused):
        calls[endpoint]()
    assert connects == []


def test_a_name_that_rebinds_is_fetched_from_the_address_that_was_checked(monkeypatch, tmp_path):
    # given: an https provider on this machine with a certificate for login.example.com, trusted here
    cert_file, key_file = self_signed(tmp_path, "login.example.com")
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.headers["Host"])
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"issuer": "https://login.example.com"}')

        def log_message(self, *args):
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    sni = []
    context.sni_callback = lambda sock, name, ctx: sni.append(name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connects, real = [], urllib3.util.connection.create_connection
    monkeypatch.setattr(
        urllib3.util.connection,
        "create_connection",
        lambda address, *a, **k: connects.append(address) or real(("127.0.0.1", server.server_port), *a, **k),
    )
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert_file))
    # ...and a name that resolves to a public address once, then (rebound) to 127.0.0.1
    answers, checked = [], socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host != "login.example.com":
            return checked(host, port, *args, **kwargs)
        answers.append(PUBLIC if not answers else "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[-1], port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)

    # when
    answer = fetch_provider_url("https://login.example.com/.well-known/openid-configuration")

    # then: one resolution, the connection to the address checked, the name in Host and SNI
    assert answer.json() == {"issuer": "https://login.example.com"}
    assert answers == [PUBLIC] and connects == [(PUBLIC, 443)]
    assert seen == ["login.example.com"] and sni == ["login.example.com"]
    server.shutdown()


def test_private_addresses_are_allowed_when_the_setting_says_so(tenant, member, api, settings):
    settings.PRM_SSO_ALLOW_PRIVATE_ADDRESSES = True
    admin = api(member(tenant, Role.ADMIN))
    created = admin.post(
        BASE,
        {**FIELDS, "discovery_url": "http://127.0.0.1:9/.well-known/openid-configuration"},
        format="json",
    )
    assert created.status_code == 201, created.content
    settings.PRM_SSO_ALLOW_PRIVATE_ADDRESSES = False
    refused = admin.post(
        BASE,
        {
            **FIELDS,
            "name": "Other",
            "email_domains": ["other.example"],
            "discovery_url": "http://login.example.com/.well-known/openid-configuration",
        },
        format="json",
    )
    assert refused.status_code == 400 and "https" in refused.json()["discovery_url"][0]

"""A webhook reaches only the address that was checked: no rebinding, no IPv4 hidden in IPv6."""

import socket
import ssl
import threading
from datetime import UTC, datetime, timedelta
from http.server import ThreadingHTTPServer

import pytest
import urllib3.util.connection
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.utils import timezone

from prm.tenancy.choices import Role
from prm.tenancy.context import tenant_context
from prm.webhooks import services
from prm.webhooks.models import Delivery, Endpoint, Event
from tests.test_webhooks import BASE, Receiver, register

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.216.34"
LITERALS = (
    "http://[64:ff9b::7f00:1]/",
    "http://[::127.0.0.1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[2002:7f00:1::]/",
)


@pytest.fixture
def admin(tenant, member):
    return member(tenant, Role.ADMIN)


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.server.shutdown()


@pytest.fixture
def connects(monkeypatch, receiver):
    """Every address urllib3 is asked to connect to; each connection goes to the local receiver."""
    asked, real = [], urllib3.util.connection.create_connection

    def create_connection(address, *args, **kwargs):
        asked.append(address)
        return real(("127.0.0.1", receiver.server.server_port), *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", create_connection)
    return asked


def pending(tenant, url):
    with tenant_context(tenant):
        endpoint = Endpoint.objects.create(tenant=tenant, url=url, events=["*"], secret="whsec_x")
        event = Event.objects.create(tenant=tenant, name="partner.created", data={})
        return Delivery.objects.create(
            tenant=tenant, endpoint=endpoint, event=event, next_attempt_at=timezone.now()
        )


@pytest.mark.parametrize("url", LITERALS)
def test_ipv4_inside_ipv6_is_refused_at_registration_and_at_delivery(api, admin, tenant, connects, url):
    response = api(admin).post(f"{BASE}/webhooks/", {"url": url, "events": ["*"]}, format="json")
    assert response.status_code == 400 and "url" in response.json()

    delivery = services.attempt(tenant.pk, pending(tenant, url).pk)
    assert delivery.status_code is None and "private or local" in delivery.response
    assert connects == []


def test_a_name_that_rebinds_is_sent_to_the_address_that_was_checked(
    api, admin, tenant, receiver, connects, monkeypatch
):
    # given: a name that resolves to a public address, then (rebound) to 127.0.0.1
    real, answers = socket.getaddrinfo, []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "hooks.example.com":
            return real(host, port, *args, **kwargs)
        address = PUBLIC if not answers else "127.0.0.1"
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    endpoint = register(api, admin, "http://hooks.example.com:8080/in?x=1")
    answers.clear()

    # when
    with tenant_context(tenant):
        event = Event.objects.create(tenant=tenant, name="partner.created", data={})
        delivery = Delivery.objects.create(
            tenant=tenant, endpoint_id=endpoint["id"], event=event, next_attempt_at=timezone.now()
        )
    delivery = services.attempt(tenant.pk, delivery.pk)

    # then: one resolution, and the connection went to the address it checked, Host unchanged
    assert answers == [PUBLIC]
    assert connects == [(PUBLIC, 8080)]
    assert delivery.status == "succeeded"
    assert receiver.requests[0]["headers"]["Host"] == "hooks.example.com:8080"


def test_only_a_short_excerpt_of_the_answer_is_kept_and_shown(api, admin, tenant, receiver, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    receiver.status = 500
    receiver.body = b"<script>alert(1)</script>" + b"x" * 5000
    endpoint = register(api, admin, receiver.url)

    answer = api(admin).post(f"{BASE}/webhooks/{endpoint['id']}/ping/").json()

    assert answer["response"].startswith("<script>") and len(answer["response"]) == 200
    with tenant_context(tenant):
        assert len(Delivery.objects.get().response) == 200
    listed = api(admin).get(f"{BASE}/webhooks/{endpoint['id']}/deliveries/").json()
    assert len(listed["results"][0]["response"]) == 200


def self_signed(tmp_path, name):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


def test_https_to_the_pinned_address_still_checks_the_certificate_for_the_name(
    tenant, receiver, monkeypatch, tmp_path
):
    # given: the receiver speaks TLS with a certificate for hooks.example.com, trusted here
    cert_file, key_file = self_signed(tmp_path, "hooks.example.com")
    names = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), receiver.server.RequestHandlerClass)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connects, real = [], urllib3.util.connection.create_connection
    monkeypatch.setattr(
        urllib3.util.connection,
        "create_connection",
        lambda address, *a, **k: connects.append(address) or real(("127.0.0.1", server.server_port), *a, **k),
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    resolve = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: (
            [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port))]
            if host.endswith(".example.com")
            else resolve(host, port, *a, **k)
        ),
    )

    # when
    good = services.attempt(tenant.pk, pending(tenant, "https://hooks.example.com/in").pk)
    wrong = services.attempt(tenant.pk, pending(tenant, "https://other.example.com/in").pk)

    # then: the name is sent (SNI) and checked against the certificate; another name is refused
    assert connects == [(PUBLIC, 443), (PUBLIC, 443)]
    assert good.status == "succeeded", good.response
    assert names[0] == "hooks.example.com"
    assert wrong.status_code is None and "doesn't match" in wrong.response
    server.shutdown()

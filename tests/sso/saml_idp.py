"""A real SAML 2.0 identity provider for the tests, built on pysaml2's ``saml2.server.Server``.

``SamlIdentityProvider`` runs a small WSGI application on 127.0.0.1 (a free port) in a
thread, with its own RSA key pair and self-signed certificate generated at start, and signs
with Debian's ``/usr/bin/xmlsec1``:

- ``GET  /metadata``       the IdP's metadata (its entity id is this URL);
- ``GET  /sso/redirect``   an AuthnRequest by the HTTP-Redirect binding;
- ``POST /sso/post``       an AuthnRequest by the HTTP-POST binding.

There is no password form: the IdP signs in whoever the test set with ``sign_in_as(...)``
(subject, e-mail, names, groups) and answers with pysaml2's auto-submitting HTML form that
POSTs the Response to the service provider's assertion consumer service (the form has a
"Continue" button for browsers without scripts). Without a user set it answers 401.

``mode`` makes the next answers deliberately bad, for the refusal tests:
``"ok"`` (signed assertion and response), ``"wrong_audience"`` (the audience names another
service provider), ``"expired"`` (NotOnOrAfter already past) and ``"unsigned"`` (neither the
assertion nor the response signed). Everything is produced by pysaml2 (a release policy
with a negative lifetime, a policy whose conditions name another audience, signing off):
no XML is written by hand.

The IdP only answers service providers it trusts: ``trust_sp(metadata_xml)`` loads an SP's
metadata (the tests fetch it from ``/sso/saml/<provider id>/metadata/``).

Use it as a context manager, or through the ``saml_idp`` fixture in tests/sso/conftest.py.
"""

import datetime
import html
import re
import tempfile
import threading
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, saml
from saml2.assertion import Policy
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.s_utils import factory as saml_factory
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.time_util import instant

XMLSEC1 = "/usr/bin/xmlsec1"
MODES = ("ok", "wrong_audience", "expired", "unsigned")
AUTHN = {"class_ref": saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": "test-idp"}


def make_key_pair(directory: Path, common_name: str) -> tuple[Path, Path]:
    """A 2048-bit RSA key and a self-signed certificate valid for a day, as PEM files."""

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / "idp.key", directory / "idp.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class _OtherAudiencePolicy(Policy):
    """pysaml2's release policy, but the assertion's audience names another service provider."""

    def conditions(self, sp_entity_id):
        return saml_factory(
            saml.Conditions,
            not_before=instant(),
            not_on_or_after=self.not_on_or_after(sp_entity_id),
            audience_restriction=[
                saml_factory(
                    saml.AudienceRestriction,
                    audience=[saml_factory(saml.Audience, text="https://another-sp.example/metadata")],
                )
            ],
        )


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (the signature wsgiref calls)
        pass


class SamlIdentityProvider:
    """A pysaml2 identity provider serving HTTP on 127.0.0.1 in a daemon thread."""

    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="saml-idp-")
        self._server = make_server(
            "127.0.0.1", 0, self._app, server_class=WSGIServer, handler_class=_QuietHandler
        )
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self.entity_id = f"{self.base_url}/metadata"
        self.key_file, self.cert_file = make_key_pair(Path(self._tmp.name), "test-idp")
        self.config = IdPConfig().load(self._config_dict())
        self.server = Server(config=self.config)
        self.metadata_xml = create_metadata_string(None, config=self.config).decode()
        self.mode = "ok"
        self.user: dict | None = None
        self.requests: list = []  # the AuthnRequests received, parsed
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _config_dict(self) -> dict:
        return {
            "entityid": self.entity_id,
            "service": {
                "idp": {
                    "name": "Test identity provider",
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{self.base_url}/sso/redirect", BINDING_HTTP_REDIRECT),
                            (f"{self.base_url}/sso/post", BINDING_HTTP_POST),
                        ],
                    },
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_BASIC,
                        },
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": False,
                },
            },
            "key_file": str(self.key_file),
            "cert_file": str(self.cert_file),
            "xmlsec_binary": XMLSEC1,
            "metadata": {},
        }

    # --- what the tests set ------------------------------------------------------

    def start(self) -> "SamlIdentityProvider":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._tmp.cleanup()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def trust_sp(self, metadata_xml: str | bytes) -> None:
        """Answer the service provider these metadata describe (its entity id, its ACS)."""

        if isinstance(metadata_xml, bytes):
            metadata_xml = metadata_xml.decode()
        with self._lock:
            self.server.metadata.load("inline", metadata_xml)

    def sign_in_as(
        self, subject: str, email: str, *, first_name="", last_name="", groups=(), attributes=None
    ):
        """The user the next AuthnRequests are answered for (auto sign-in), with its attributes."""

        identity = {"mail": [email], "groups": list(groups)}
        if first_name:
            identity["givenName"] = [first_name]
        if last_name:
            identity["sn"] = [last_name]
        identity.update(attributes or {})
        self.user = {"subject": subject, "identity": identity}

    # --- the protocol, by pysaml2 ---------------------------------------------------

    def answer(self, saml_request: str, binding: str, relay_state: str = "") -> dict:
        """pysaml2's HTTP arguments (headers, HTML form) answering one AuthnRequest."""

        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}")
        with self._lock:
            request = self.server.parse_authn_request(saml_request, binding)
            self.requests.append(request.message)
            response_args = self.server.response_args(request.message)
            signed = self.mode != "unsigned"
            policy = None
            if self.mode == "expired":
                policy = Policy({"default": {"lifetime": {"minutes": -10}, "attribute_restrictions": None}})
            elif self.mode == "wrong_audience":
                policy = _OtherAudiencePolicy({"default": {"attribute_restrictions": None}})
            response = self.server.create_authn_response(
                self.user["identity"],
                name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=self.user["subject"]),
                authn=AUTHN,
                sign_response=signed,
                sign_assertion=signed,
                release_policy=policy,
                **response_args,
            )
            return self.server.apply_binding(
                BINDING_HTTP_POST,
                str(response),
                response_args["destination"],
                relay_state,
                response=True,
                sign=False,
            )

    def _app(self, environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ["REQUEST_METHOD"]
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [self.metadata_xml.encode()]
        if path in ("/sso/redirect", "/sso/post"):
            if method == "POST":
                size = int(environ.get("CONTENT_LENGTH") or 0)
                params = parse_qs(environ["wsgi.input"].read(size).decode())
                binding = BINDING_HTTP_POST
            else:
                params = parse_qs(environ.get("QUERY_STRING", ""))
                binding = BINDING_HTTP_REDIRECT
            saml_request = (params.get("SAMLRequest") or [""])[0]
            if not saml_request:
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [b"no SAMLRequest"]
            if self.user is None:
                start_response("401 Unauthorized", [("Content-Type", "text/plain")])
                return [b"no user signed in at the test IdP"]
            try:
                http_args = self.answer(saml_request, binding, (params.get("RelayState") or [""])[0])
            except Exception as exc:  # the test reads why in the body
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [f"{type(exc).__name__}: {exc}".encode()]
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [http_args["data"].encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]


def read_post_form(page: str) -> tuple[str, dict]:
    """The action and the hidden fields of pysaml2's auto-submitting form (for a test client)."""

    action = html.unescape(re.search(r'<form action="([^"]+)"', page).group(1))
    fields = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }
    return action, fields

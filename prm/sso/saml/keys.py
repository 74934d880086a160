"""The service provider's signing key and certificate, shared by every identity provider.

``SAML_SP_KEY_FILE`` and ``SAML_SP_CERT_FILE`` (environment) name PEM files an operator
provides. When they are unset, a key pair is generated once into ``SAML_SP_KEY_DIR``
(``sp.key`` and ``sp.crt``, a self-signed certificate valid ten years) and reused from then on:
enough for the demo and the tests, and for production as long as that folder is kept (the
identity providers hold the certificate from our metadata; a new one means updating them).
"""

import datetime
import fcntl
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

KEY_NAME, CERT_NAME = "sp.key", "sp.crt"


def key_pair() -> tuple[str, str]:
    """The paths of the SP's key and certificate (PEM), generating them the first time."""

    if settings.SAML_SP_KEY_FILE and settings.SAML_SP_CERT_FILE:
        return settings.SAML_SP_KEY_FILE, settings.SAML_SP_CERT_FILE
    folder = Path(settings.SAML_SP_KEY_DIR)
    key_path, cert_path = folder / KEY_NAME, folder / CERT_NAME
    if not (key_path.exists() and cert_path.exists()):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        # several workers may start at once: one generates, the others wait and reuse it
        with open(folder / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (key_path.exists() and cert_path.exists()):
                _generate(key_path, cert_path)
    return str(key_path), str(cert_path)


def _generate(key_path: Path, cert_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PRM SAML service provider")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key_pem)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))

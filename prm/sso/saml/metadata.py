"""The identity provider's metadata: pasted by the tenant admin, or fetched from its URL.

Fetched metadata are cached (``SAML_METADATA_CACHE_SECONDS``, an hour by default) under the
provider's id and its last change, so editing the provider fetches them afresh. The URL must be
https (http only with ``SAML_METADATA_ALLOW_PRIVATE_NETWORKS``, for tests and a local IdP) and
resolve to public addresses only, like a webhook's; at most ``MAX_BYTES`` are read.
"""

import hashlib
import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from prm.webhooks.net import refused as private_address

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 10


class MetadataUnavailable(Exception):
    """The provider's metadata could not be had; the message says why, for the refused page."""


def idp_metadata(provider) -> str:
    """The XML of the provider's metadata (the pasted text first, else the URL's)."""

    if (provider.metadata_xml or "").strip():
        return provider.metadata_xml
    if not provider.metadata_url:
        raise MetadataUnavailable(_("This identity provider has no metadata yet."))
    stamp = getattr(provider, "updated", None) or getattr(provider, "updated_at", None)
    digest = hashlib.sha256(f"{provider.metadata_url}|{stamp}".encode()).hexdigest()[:16]
    key = f"sso:saml:metadata:{provider.pk}:{digest}"
    xml = cache.get(key)
    if xml is None:
        xml = fetch(provider.metadata_url)
        cache.set(key, xml, settings.SAML_METADATA_CACHE_SECONDS)
    return xml


def check_url(url: str) -> None:
    """Refuse (``MetadataUnavailable``) a URL the server must not fetch."""

    parts = urlsplit(url)
    allow_private = settings.SAML_METADATA_ALLOW_PRIVATE_NETWORKS
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise MetadataUnavailable(_("The metadata URL must be an https URL."))
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise MetadataUnavailable(_("The metadata URL's host could not be resolved.")) from exc
    if any(private_address(ipaddress.ip_address(info[4][0])) for info in infos):
        raise MetadataUnavailable(_("The metadata URL points to a private network."))


def fetch(url: str) -> str:
    check_url(url)
    try:
        with requests.get(url, timeout=TIMEOUT_SECONDS, stream=True, allow_redirects=False) as answer:
            answer.raise_for_status()
            body = answer.raw.read(MAX_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        raise MetadataUnavailable(_("The identity provider's metadata could not be fetched.")) from exc
    if len(body) > MAX_BYTES:
        raise MetadataUnavailable(_("The identity provider's metadata are too large."))
    return body.decode("utf-8", errors="replace")

"""The identity provider's metadata: pasted by the tenant admin, or fetched from its URL.

Fetched metadata are cached (``SAML_METADATA_CACHE_SECONDS``, an hour by default) under the
provider's id and its last change, so editing the provider fetches them afresh. The URL follows
the rule of every URL an identity provider gives (``prm.sso.net``): https, public addresses only,
fetched from the address that was checked (``PRM_SSO_ALLOW_PRIVATE_ADDRESSES`` lifts it, for a
local IdP and the tests); at most ``MAX_BYTES`` are read.
"""

import hashlib

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from prm.sso.net import ProviderURLRefused, fetch_provider_url

MAX_BYTES = 2 * 1024 * 1024


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


def fetch(url: str) -> str:
    """The metadata at ``url``, fetched from the address that was checked (``prm.sso.net``)."""
    try:
        with fetch_provider_url(url, field="metadata_url", stream=True) as answer:
            answer.raise_for_status()
            body = answer.raw.read(MAX_BYTES + 1, decode_content=True)
    except ProviderURLRefused as exc:
        raise MetadataUnavailable(" ".join(exc.message_dict["metadata_url"])) from exc
    except requests.RequestException as exc:
        raise MetadataUnavailable(_("The identity provider's metadata could not be fetched.")) from exc
    if len(body) > MAX_BYTES:
        raise MetadataUnavailable(_("The identity provider's metadata are too large."))
    return body.decode("utf-8", errors="replace")

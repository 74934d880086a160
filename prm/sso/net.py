"""Which identity provider URLs the server may fetch, and fetching them pinned to checked addresses.

The server itself fetches an OIDC provider's discovery document, and from it the JWKS, the token
and the userinfo endpoints (a SAML provider's metadata URL likewise). A tenant admin types those
URLs, so without a check they could make the server call its own network (SSRF). The rule, the
same as a webhook's (``prm.webhooks.net.refused``): https only, and every address the host resolves
to must be global (no loopback, private, link-local, shared, multicast, nor IPv4 hidden in IPv6).

It is checked when a provider is saved (``check_provider_url``: a 400 naming the field) and again
at every fetch (``fetch_provider_url``): the host is resolved once, its addresses checked, and the
connection made to the first of them, the name kept in ``Host``, SNI and the certificate check, so a
name that resolves elsewhere a moment later (DNS rebinding) cannot reach a private address.
Redirects are not followed.

``PRM_SSO_ALLOW_PRIVATE_ADDRESSES`` (default off) lifts the address rule and allows http: an
on-premises identity provider, and the tests' local provider.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter

from prm.webhooks.net import Address, refused

TIMEOUT_SECONDS = 10


class ProviderURLRefused(ValidationError):
    """A provider URL the server may not fetch; ``message_dict`` names the field, the message says why."""


def allow_private() -> bool:
    return settings.PRM_SSO_ALLOW_PRIVATE_ADDRESSES


def _refuse(field: str, message: str) -> ProviderURLRefused:
    return ProviderURLRefused({field: [message]})


def _parts(url: str, field: str) -> SplitResult:
    parts = urlsplit(url or "")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        parts = parts._replace(scheme="")
    schemes = ("https", "http") if allow_private() else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise _refuse(field, _("Use an https URL."))
    return parts


def resolve(url: str, field: str = "url") -> tuple[SplitResult, list[Address]]:
    """The URL's parts and every address its host resolves to, all of them checked.

    Raises ``ProviderURLRefused`` (naming ``field``) for a URL that is not https, a host that does
    not resolve, or any address that is not global. With ``PRM_SSO_ALLOW_PRIVATE_ADDRESSES`` only
    the scheme is checked and no address is returned (the fetch then resolves as usual).
    """
    parts = _parts(url, field)
    if allow_private():
        return parts, []
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise _refuse(field, _("The host %(h)s does not resolve.") % {"h": parts.hostname}) from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))
    if not addresses:
        raise _refuse(field, _("The host %(h)s does not resolve.") % {"h": parts.hostname})
    for address in addresses:
        if refused(address):
            raise _refuse(
                field,
                _(
                    "%(h)s resolves to a private or local address (%(a)s); an identity provider "
                    "must be reachable at public addresses."
                )
                % {"h": parts.hostname, "a": address},
            )
    return parts, addresses


def check_provider_url(url: str, field: str) -> None:
    """Refuse (``ProviderURLRefused`` naming ``field``) a URL the server must not fetch."""
    resolve(url, field)


class PinnedAdapter(HTTPAdapter):
    """Connects to ``address`` whatever the URL's host says; the host stays in ``Host``, in SNI
    and in the certificate check."""

    def __init__(self, address: Address, **kwargs):
        self.address = str(address)
        super().__init__(max_retries=0, **kwargs)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        hostname = host_params["host"]
        if host_params["scheme"] == "https":
            pool_kwargs = {**pool_kwargs, "server_hostname": hostname, "assert_hostname": hostname}
        return {**host_params, "host": self.address}, pool_kwargs

    def add_headers(self, request, **kwargs):
        request.headers["Host"] = urlsplit(request.url).netloc.rpartition("@")[2]


def fetch_provider_url(url: str, *, method: str = "GET", field: str = "url", **kwargs) -> requests.Response:
    """``requests``' answer from an identity provider's URL, checked and pinned (see the module).

    Raises ``ProviderURLRefused`` before any connection for a URL the rule refuses, and
    ``requests.RequestException`` when the provider cannot be reached. ``kwargs`` go to
    ``requests`` (``data``, ``headers``, ``auth``, ``stream``); redirects are never followed.
    """
    parts, addresses = resolve(url, field)
    kwargs.setdefault("timeout", TIMEOUT_SECONDS)
    session = requests.Session()
    if addresses:
        session.mount(f"{parts.scheme}://", PinnedAdapter(addresses[0]))
        # no proxy from the environment: the checked address is the peer (CA bundles still apply)
        kwargs["proxies"] = dict.fromkeys(("http", "https", "all"))
    response = session.request(method, url, allow_redirects=False, **kwargs)
    if not kwargs.get("stream"):
        session.close()  # a streamed answer (``stream=True``, e.g. a size cap) keeps its connection
    return response
